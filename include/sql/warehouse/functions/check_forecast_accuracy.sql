-- requires: views/forecast_backtest_summary
-- Quality check (class forecasts): per channel and metric, the back-test in force of the
-- model in use, its MAE at horizons 1-7 from the newest origin (the latest week) against
-- its MAE from the other origins. A forecast that worsens badly: DEGRADED at 3 times its
-- usual error or more, WARNING at 2 times.
create or replace function analytics.check_forecast_accuracy()
returns table (
    check_key text,
    channel_id varchar,
    metric text,
    model text,
    backtest_through date,
    newest_origin date,
    newest_mae numeric,
    usual_mae numeric,
    ratio numeric,
    status text
)
language sql stable
as $$
    with in_use as (
        select s.channel_id, s.metric, s.model, s.backtest_through
        from analytics.forecast_backtest_summary as s
        where s.chosen
    ),

    by_origin as (
        select
            u.channel_id,
            u.metric,
            u.model,
            u.backtest_through,
            b.origin_date,
            avg(abs(b.actual - b.point)) as mae
        from in_use as u
        inner join analytics.forecast_backtest as b
            on
                u.channel_id = b.channel_id
                and u.metric = b.metric
                and u.model = b.model
                and u.backtest_through = b.backtest_through
        where b.horizon_days <= 7
        group by u.channel_id, u.metric, u.model, u.backtest_through, b.origin_date
    ),

    judged as (
        select
            o.channel_id,
            o.metric,
            o.model,
            o.backtest_through,
            max(o.origin_date) as newest_origin,
            (array_agg(o.mae order by o.origin_date desc))[1] as newest_mae,
            avg(o.mae) filter (where o.origin_date < o.backtest_through - 7) as usual_mae
        from by_origin as o
        group by o.channel_id, o.metric, o.model, o.backtest_through
    )

    select
        j.channel_id || ' ' || j.metric as check_key,
        j.channel_id,
        j.metric,
        j.model,
        j.backtest_through,
        j.newest_origin,
        round(j.newest_mae, 2) as newest_mae,
        round(j.usual_mae, 2) as usual_mae,
        round(j.newest_mae / nullif(j.usual_mae, 0), 2) as ratio,
        case
            when j.newest_mae > 0 and j.newest_mae >= 3 * j.usual_mae then 'DEGRADED'
            when j.newest_mae > 0 and j.newest_mae >= 2 * j.usual_mae then 'WARNING'
            else 'OK'
        end as status
    from judged as j
$$;
