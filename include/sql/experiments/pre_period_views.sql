-- Views of the video per hour (observed hours only), oldest first.
select views::float8 as views
from analytics.fact_video_performance
where
    video_id = %(video_id)s
    and timestamp >= %(first_hour)s
    and timestamp < %(end_hour)s
    and not daily_row
order by timestamp
