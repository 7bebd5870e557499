-- Bench set-up: three cost rows per channel and UTC day in [first, last].
insert into analytics.cost_tracking (external_ref, channel_id, cost_type, cost_cents, timestamp)
select
    concat_ws(':', 'bench', c, d::date, k.cost_type),
    'UCbench' || lpad(c::text, 5, '0'),
    k.cost_type,
    (c * 13 + extract(day from d)::integer * k.factor) %% 2000,
    d + make_interval(hours => (c + k.factor) %% 24)
from generate_series(0, %(channels)s - 1) as c
cross join generate_series(%(first)s::timestamptz, %(last)s::timestamptz, interval '1 day') as d
cross join (values ('ai_generation', 7), ('api_calls', 3), ('voice_synthesis', 11)) as k (cost_type, factor)
