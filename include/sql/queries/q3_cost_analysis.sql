-- Spec Query 3: costs by warehouse day and type over the 30 days before %(as_of)s.
with cost_breakdown as (
    select
        analytics.warehouse_day(c.timestamp) as day,
        c.cost_type,
        sum(c.cost_cents) / 100.0 as total_cost,
        count(*) as transaction_count,
        avg(c.cost_cents) / 100.0 as avg_cost_per_transaction
    from analytics.cost_tracking as c
    where
        c.timestamp >= analytics.warehouse_days_before(%(as_of)s, 30)
        and c.timestamp < %(as_of)s::timestamptz
    group by analytics.warehouse_day(c.timestamp), c.cost_type
),

daily_totals as (
    select
        day,
        sum(total_cost) as daily_total_cost,
        sum(transaction_count) as daily_transactions
    from cost_breakdown
    group by day
)

select
    cb.day,
    cb.cost_type,
    cb.total_cost,
    cb.transaction_count,
    cb.avg_cost_per_transaction,
    round(cb.total_cost / nullif(dt.daily_total_cost, 0) * 100, 2) as percentage_of_daily_cost
from cost_breakdown as cb
inner join daily_totals as dt on cb.day = dt.day
order by cb.day desc, cb.total_cost desc, cb.cost_type
