select
    version,
    checksum
from analytics.schema_migrations
