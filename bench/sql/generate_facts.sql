-- Bench set-up: one fact row per video and UTC hour in [start, end). Deterministic:
-- every 50th video is viral (about 2,500 views a day), every 10th popular, the rest
-- long tail; views follow a 5-hour cycle; revenue, likes and watch time follow views.
insert into analytics.fact_video_performance (
    video_id, channel_id, timestamp, views, likes, comments, shares,
    watch_time_minutes, estimated_revenue_cents, cost_cents
)
select
    'bv' || lpad(v::text, 7, '0'),
    'UCbench' || lpad((v %% %(channels)s)::text, 5, '0'),
    h,
    w.views,
    w.views / 25,
    w.views / 100,
    case when (v + n) %% 3 = 0 then 1 else 0 end,
    round(w.views * (3 + v %% 5) / 4.0, 2),
    w.views * (1 + v %% 4) / 3,
    case when n %% 24 = v %% 24 then 1 + v %% 3 else 0 end
from generate_series(0, %(videos)s - 1) as v
cross join generate_series(
    %(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour'
) as h
cross join lateral (select (extract(epoch from h) / 3600)::bigint as n) as t
cross join lateral (
    select
        (case when v %% 50 = 0 then 120 when v %% 10 = 0 then 30 else 4 end)
        * (1 + (n + v) %% 5) / 3 + (v * 7 + n * 13) %% 5 as views
) as w
