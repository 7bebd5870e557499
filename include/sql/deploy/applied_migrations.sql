select
    version,
    name,
    checksum
from analytics.schema_migrations
