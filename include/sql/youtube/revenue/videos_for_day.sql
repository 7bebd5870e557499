-- The channel's known videos that can have figures on a YouTube day: published
-- before its end and not gone before its start.
select v.video_id
from analytics.dim_video as v
where
    v.channel_id = %(channel_id)s
    and (v.publish_date is null or v.publish_date < analytics.youtube_day_start(%(day)s::date + 1))
    and (
        v.is_available
        or v.unavailable_since is null
        or v.unavailable_since > analytics.youtube_day_start(%(day)s::date)
    )
order by v.video_id collate "C"  -- noqa: RF03
