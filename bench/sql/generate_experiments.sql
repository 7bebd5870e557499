-- Bench set-up: 6 experiments per 10 channels (one video each): 2 running (one CTR test
-- in one-day blocks, one views-per-hour test in 12-hour blocks), 3 concluded (ended 4-83
-- days before %(end)s, concluded when their data was in) and 1 refused, as the hourly
-- experiments run leaves them; each with its challenger (variant 1) and the original
-- (variant 0). The seed (its index) makes each one's numbers here and in the files after.
insert into analytics.experiment (
    video_id, kind, metric, block_hours, blocks, warmup_hours, min_detectable_effect,
    seed, starts_at, status, status_reason, predicted_power, pair_sd, designed_at,
    ends_at, concluded_at, settled_at, announced_at, created_at
)
select
    'bv' || lpad(i::text, 7, '0'),
    case when i %% 3 = 0 then 'thumbnail' else 'title' end,
    d.metric,
    d.block_hours,
    24,
    d.warmup_hours,
    d.mde,
    i,
    t.starts_at,
    d.status,
    case when d.status = 'refused' then
        'under-powered: 41%% power for a +10%% effect in 12 days (target 80%%); '
        || 'it would need 34 days (34 blocks of 24 h)'
    end,
    case when d.status <> 'refused' then 0.80 + i %% 15 / 100.0 end,
    case when d.status <> 'refused' then 0.10 + i %% 7 / 100.0 end,
    coalesce(t.starts_at, %(as_of)s) - interval '1 day',
    t.ends_at,
    t.concluded_at,
    t.concluded_at + interval '1 hour',
    t.concluded_at + interval '1 hour',
    coalesce(t.starts_at, %(as_of)s) - interval '26 hours'
from generate_series(0, %(channels)s * 6 / 10 - 1) as i
cross join lateral (
    select
        case i %% 6 when 0 then 'running' when 1 then 'running' when 5 then 'refused'
            else 'concluded' end as status,
        case when i %% 6 in (1, 3) then 'views_per_hour' else 'ctr' end as metric,
        case when i %% 6 in (1, 3) then 12 else 24 end as block_hours,
        case when i %% 6 in (1, 3) then 2 else 0 end as warmup_hours,
        case when i %% 6 in (1, 3) then 0.10 else 0.15 end as mde,
        -- the running test's current block, the concluded test's days since its end
        4 + (i * 7) %% 20 as block_now,
        4 + (i * 5) %% 80 as days_ago
) as d
cross join lateral (
    select
        case
            when d.status = 'running' and d.metric = 'ctr'
                then analytics.warehouse_day_start(%(end)s::date - d.block_now)
            when d.status = 'running'
                then %(as_of)s::timestamptz - make_interval(hours => d.block_hours * d.block_now)
            when d.status = 'concluded' and d.metric = 'ctr'
                then analytics.warehouse_day_start(%(end)s::date - d.days_ago - 24)
            when d.status = 'concluded'
                then analytics.warehouse_day_start(%(end)s::date - d.days_ago)
                - make_interval(hours => d.block_hours * 24)
        end as starts_at
) as s
cross join lateral (
    select
        s.starts_at,
        case
            when d.metric = 'ctr'
                then analytics.warehouse_day_start(analytics.warehouse_day(s.starts_at) + 24)
            else s.starts_at + make_interval(hours => d.block_hours * 24)
        end as ends_at
) as e
cross join lateral (
    select
        e.starts_at,
        e.ends_at,
        case when d.status = 'concluded' then
            e.ends_at + case when d.metric = 'ctr' then interval '3 days' else interval '1 hour' end
        end as concluded_at
) as t
