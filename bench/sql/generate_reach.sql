-- Bench set-up: impressions and click-through rate per video and Pacific day in
-- [first, last] (the Reporting API's reach reports, loaded into yt_reach_daily), and
-- one report per channel and day. Viral and popular videos as in the fact rows.
insert into analytics.yt_reach_daily (
    video_id, day, channel_id, impressions, ctr, report_id, report_created_at, run_id
)
select
    'bv' || lpad(v::text, 7, '0'),
    d::date,
    'UCbench' || lpad((v %% %(channels)s)::text, 5, '0'),
    (case when v %% 50 = 0 then 40 when v %% 10 = 0 then 8 else 1 end)
    * (300 + (v * 37 + extract(day from d)::integer * 11) %% 700),
    round(0.02 + (v * 7 + extract(day from d)::integer) %% 40 / 1000.0, 4),
    concat_ws(':', 'bench', v %% %(channels)s, d::date),
    d + interval '2 days',
    'bench'
from generate_series(0, %(videos)s - 1) as v
cross join generate_series(%(first)s::date, %(last)s::date, interval '1 day') as d
