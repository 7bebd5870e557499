-- Clicks and impressions of the video per Pacific day (0 where no row), oldest first.
with days as (
    select d::date as day
    from generate_series(%(first_day)s::date, %(last_day)s::date, interval '1 day') as d
)

select
    days.day,
    coalesce(r.impressions * r.ctr, 0)::float8 as clicks,
    coalesce(r.impressions, 0)::float8 as impressions
from days
left join analytics.yt_reach_daily as r
    on r.video_id = %(video_id)s and days.day = r.day
order by days.day
