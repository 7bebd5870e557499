-- The revenue reads the Executive dashboard and Query 5 make, kept by the revenue
-- summary's refresh (after every revenue load, through analytics_refresh_daily):
-- - daily_revenue_summary in cents as well, so that the Revenue vs Cost Trend and
--   Average ROI panels sum its days (analytics.daily_revenue_current) with the very
--   arithmetic they used on revenue_attribution;
-- - Query 5's answer for the default window (the 30 warehouse days before the
--   refresh's day), which no rollup keeps (a median and a distinct count):
--   analytics.roi_by_video_type answers from it while nothing it read has changed.
alter table analytics.daily_revenue_summary
add column revenue_cents bigint,
add column cost_cents bigint,
add column profit_cents bigint;

update analytics.daily_revenue_summary as s
set
    revenue_cents = r.revenue_cents,
    cost_cents = r.cost_cents,
    profit_cents = r.profit_cents
from (
    select
        revenue_date,
        sum(total_revenue_cents) as revenue_cents,
        sum(total_cost_cents) as cost_cents,
        sum(profit_cents) as profit_cents
    from analytics.revenue_attribution
    group by revenue_date
) as r
where s.revenue_date = r.revenue_date;

create table analytics.roi_by_video_type_kept (
    as_of_day date not null,
    video_type varchar(50),
    category varchar(100),
    video_count bigint not null,
    avg_roi numeric,
    median_roi double precision,
    total_revenue numeric not null,
    total_cost numeric not null,
    total_profit numeric not null
);

create index idx_roi_by_video_type_kept_day on analytics.roi_by_video_type_kept (as_of_day);
