-- The newest input change logged so far: a load consumes entries up to it.
select coalesce(max(id), 0) as mark
from analytics.revenue_input_invalidation
