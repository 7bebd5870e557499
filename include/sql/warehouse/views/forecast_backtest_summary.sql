-- The back-test in force per channel and metric (the rows of its newest backtest_through),
-- scored per model at horizons 1-7, and the model each forecast uses: the candidate with
-- the lowest MAE if it beats seasonal naive's, otherwise seasonal naive.
-- conformal_95: the split-conformal 95 % half-width of the model's held-out errors, the
-- k-th smallest |actual - point| with k = ceil(0.95 (n + 1)) of n held-out days (null when
-- k > n, fewer than 19 days): a forecast's 95 % band is at least this wide around its point.
create or replace view analytics.forecast_backtest_summary as
with in_force as (
    select
        b.channel_id,
        b.metric,
        max(b.backtest_through) as backtest_through
    from analytics.forecast_backtest as b
    group by b.channel_id, b.metric
),

held_out as (
    select
        b.channel_id,
        b.metric,
        b.model,
        f.backtest_through,
        b.origin_date,
        b.actual,
        b.point,
        b.lo_80,
        b.hi_80,
        b.lo_95,
        b.hi_95,
        row_number() over (
            partition by b.channel_id, b.metric, b.model order by abs(b.actual - b.point)
        ) as error_rank,
        count(*) over (partition by b.channel_id, b.metric, b.model) as n
    from analytics.forecast_backtest as b
    inner join in_force as f
        on
            b.channel_id = f.channel_id
            and b.metric = f.metric
            and b.backtest_through = f.backtest_through
    where b.horizon_days <= 7
),

scored as (
    select
        h.channel_id,
        h.metric,
        h.model,
        h.backtest_through,
        count(distinct h.origin_date) as origins,
        count(*) as held_out_days,
        avg(abs(h.actual - h.point)) as mae,
        avg((h.actual between h.lo_80 and h.hi_80)::int) as coverage_80,
        avg((h.actual between h.lo_95 and h.hi_95)::int) as coverage_95,
        min(abs(h.actual - h.point)) filter (
            where h.error_rank = ceil(0.95 * (h.n + 1))
        ) as conformal_95
    from held_out as h
    group by h.channel_id, h.metric, h.model, h.backtest_through
),

baseline as (
    select
        s.channel_id,
        s.metric,
        s.mae
    from scored as s
    where s.model = 'seasonal_naive'
),

best as (
    select distinct on (s.channel_id, s.metric)
        s.channel_id,
        s.metric,
        s.model
    from scored as s
    inner join baseline as n on s.channel_id = n.channel_id and s.metric = n.metric
    where s.model <> 'seasonal_naive' and s.mae < n.mae
    order by s.channel_id, s.metric, s.mae, s.model
)

select
    s.channel_id,
    s.metric,
    s.model,
    s.backtest_through,
    s.origins,
    s.held_out_days,
    s.mae,
    s.mae / nullif(n.mae, 0) as mae_vs_seasonal_naive,
    s.coverage_80,
    s.coverage_95,
    s.model = coalesce(b.model, 'seasonal_naive') as chosen,
    s.conformal_95
from scored as s
inner join baseline as n on s.channel_id = n.channel_id and s.metric = n.metric
left join best as b on s.channel_id = b.channel_id and s.metric = b.metric;
