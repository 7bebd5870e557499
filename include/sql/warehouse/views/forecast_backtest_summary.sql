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
        avg((b.actual between b.lo_95 and b.hi_95)::int) as coverage_95,
        -- the k-th of the sorted errors; past the array's end (k > n) is null
        (array_agg(abs(b.actual - b.point) order by abs(b.actual - b.point)))[
            ceil(0.95 * (count(*) + 1))::int
        ] as conformal_95
    from analytics.forecast_backtest as b
    inner join in_force as f
        on
            b.channel_id = f.channel_id
            and b.metric = f.metric
            and b.backtest_through = f.backtest_through
    where b.horizon_days <= 7
    group by b.channel_id, b.metric, b.model, f.backtest_through
),

-- Per channel and metric, seasonal naive's MAE and the best candidate (lowest MAE, then
-- name): window functions, not joins of scored with itself, so that a filter on channels
-- reaches the table's index (a batch or one channel reads its own rows only).
ranked as (
    select
        s.*,
        max(s.mae) filter (where s.model = 'seasonal_naive') over series as baseline_mae,
        first_value(s.model) over candidates as best_model,
        first_value(s.mae) over candidates as best_mae
    from scored as s
    window
        series as (partition by s.channel_id, s.metric),
        candidates as (
            partition by s.channel_id, s.metric
            order by s.model = 'seasonal_naive', s.mae, s.model
        )
)

select
    r.channel_id,
    r.metric,
    r.model,
    r.backtest_through,
    r.origins,
    r.held_out_days,
    r.mae,
    r.mae / nullif(r.baseline_mae, 0) as mae_vs_seasonal_naive,
    r.coverage_80,
    r.coverage_95,
    r.model = case
        when r.best_model <> 'seasonal_naive' and r.best_mae < r.baseline_mae then r.best_model
        else 'seasonal_naive'
    end as chosen,
    r.conformal_95
from ranked as r
where r.baseline_mae is not null;
