-- Bench set-up: one revenue_attribution row per video and day in [first, last].
insert into analytics.revenue_attribution (
    video_id, channel_id, revenue_date, ad_revenue_cents, other_revenue_cents,
    sponsorship_revenue_cents, ai_cost_cents, api_cost_cents
)
select
    'bv' || lpad(v::text, 7, '0'),
    'UCbench' || lpad((v %% %(channels)s)::text, 5, '0'),
    d::date,
    (v * 31 + extract(day from d)::integer * 7) %% 900,
    v %% 50,
    case when v %% 97 = 0 then 5000 else 0 end,
    (v * 17) %% 300,
    v %% 9
from generate_series(0, %(videos)s - 1) as v
cross join generate_series(%(first)s::date, %(last)s::date, interval '1 day') as d
