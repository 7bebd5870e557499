select
    name,
    value
from analytics.warehouse_settings
