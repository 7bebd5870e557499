-- Active channels already marked as needing re-authorisation (and so alerted).
select c.channel_id
from analytics.dim_channel as c
where c.status = 'active' and c.metadata ? 'needs_reauthorisation'
