-- Query 5's aggregation from its source tables: per video type and category, over the
-- 30 warehouse days before p_day, as rows of the table that keeps it. Read through
-- analytics.roi_by_video_type, which answers from the kept copy when it is current;
-- the kept copy is made from this.
create or replace function analytics.roi_by_video_type_live(p_day date)
returns setof analytics.roi_by_video_type_kept
language sql
stable
as $$
    select
        p_day,
        v.video_type,
        v.category,
        count(distinct v.video_id),
        avg(r.roi_percentage),
        percentile_cont(0.5) within group (order by r.roi_percentage),
        sum(r.total_revenue_cents) / 100.0,
        sum(r.total_cost_cents) / 100.0,
        sum(r.profit_cents) / 100.0
    from analytics.dim_video as v
    inner join analytics.revenue_attribution as r on v.video_id = r.video_id
    where r.revenue_date >= p_day - 30 and r.revenue_date < p_day
    group by v.video_type, v.category
$$;
