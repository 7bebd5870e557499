-- The back-test in force per channel and metric (the rows of its newest backtest_through),
-- scored per model at horizons 1-7, and the model each forecast uses: the candidate with
-- the lowest MAE if it beats seasonal naive's, otherwise seasonal naive.
create or replace view analytics.forecast_backtest_summary as
with in_force as (
    select
        b.channel_id,
        b.metric,
        max(b.backtest_through) as backtest_through
    from analytics.forecast_backtest as b
    group by b.channel_id, b.metric
),

scored as (
    select
        b.channel_id,
        b.metric,
        b.model,
        f.backtest_through,
        count(distinct b.origin_date) as origins,
        count(*) as held_out_days,
        avg(abs(b.actual - b.point)) as mae,
        avg((b.actual between b.lo_80 and b.hi_80)::int) as coverage_80,
        avg((b.actual between b.lo_95 and b.hi_95)::int) as coverage_95
    from analytics.forecast_backtest as b
    inner join in_force as f
        on
            b.channel_id = f.channel_id
            and b.metric = f.metric
            and b.backtest_through = f.backtest_through
    where b.horizon_days <= 7
    group by b.channel_id, b.metric, b.model, f.backtest_through
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
    s.model = coalesce(b.model, 'seasonal_naive') as chosen
from scored as s
inner join baseline as n on s.channel_id = n.channel_id and s.metric = n.metric
left join best as b on s.channel_id = b.channel_id and s.metric = b.metric;
