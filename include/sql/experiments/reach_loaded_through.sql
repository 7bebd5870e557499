-- The newest Pacific day with a reach report loaded for the channel.
select max(day) as day
from analytics.youtube_reporting_report
where channel_id = %(channel_id)s
