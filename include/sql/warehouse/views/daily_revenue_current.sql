-- Per revenue date, as daily_revenue_summary holds it: the refreshed days from the
-- summary, the days logged as changed since its refresh (revenue_invalidation) from
-- revenue_attribution. The Executive dashboard's revenue panels sum these days.
create or replace view analytics.daily_revenue_current as
select
    s.revenue_date,
    s.revenue_cents,
    s.cost_cents,
    s.profit_cents
from analytics.daily_revenue_summary as s
where s.revenue_date not in (select i.revenue_date from analytics.revenue_invalidation as i)
union all
select
    r.revenue_date,
    sum(r.total_revenue_cents)::bigint as revenue_cents,
    sum(r.total_cost_cents)::bigint as cost_cents,
    sum(r.profit_cents)::bigint as profit_cents
from analytics.revenue_attribution as r
where r.revenue_date in (select i.revenue_date from analytics.revenue_invalidation as i)
group by r.revenue_date;
