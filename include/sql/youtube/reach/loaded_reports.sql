-- The newest report loaded for each day of the channel.
select distinct on (day)
    day,
    report_id,
    report_created_at
from analytics.youtube_reporting_report
where channel_id = %(channel_id)s
order by day asc, report_created_at desc
