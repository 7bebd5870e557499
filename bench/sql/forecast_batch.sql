-- The first forecast batch: the first %(batch)s active channels, as the run plans them.
select c.channel_id
from analytics.dim_channel as c
where c.status = 'active'
order by c.channel_id
limit %(batch)s
