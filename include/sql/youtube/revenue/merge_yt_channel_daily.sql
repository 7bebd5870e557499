-- The channel's own total for the day (dimensions=day), as sent; unchanged figures are not rewritten.
insert into analytics.yt_channel_daily as t (
    channel_id, day, views, estimated_minutes_watched, estimated_revenue, estimated_ad_revenue, run_id
)
select
    %(channel_id)s,
    %(day)s::date,
    s.views,
    s.estimated_minutes_watched,
    s.estimated_revenue,
    s.estimated_ad_revenue,
    %(run_id)s
from stage_yt_channel_daily as s
on conflict (channel_id, day) do update
    set
        views = excluded.views,
        estimated_minutes_watched = excluded.estimated_minutes_watched,
        estimated_revenue = excluded.estimated_revenue,
        estimated_ad_revenue = excluded.estimated_ad_revenue,
        loaded_at = now(),
        run_id = excluded.run_id
    where
    (t.views, t.estimated_minutes_watched, t.estimated_revenue, t.estimated_ad_revenue)
    is distinct from
    (excluded.views, excluded.estimated_minutes_watched, excluded.estimated_revenue, excluded.estimated_ad_revenue)
