-- Bench set-up: %(channels)s channels with niches.
insert into analytics.dim_channel (channel_id, channel_name, niche, status, created_at)
select
    'UCbench' || lpad(c::text, 5, '0'),
    'Bench channel ' || c,
    (array['tech', 'gaming', 'finance', 'education', 'cooking'])[1 + c %% 5],
    'active',
    '2025-01-01T00:00Z'::timestamptz
from generate_series(0, %(channels)s - 1) as c;
