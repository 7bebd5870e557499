-- requires: functions/complete_days, functions/daily_series, views/video_daily_views_current
-- The videos with a warehouse day in [p_from, p_to) whose views across all their
-- channels exceed p_views: complete days through the index on the per-video daily
-- views (mv_video_daily_views), the partial days at the window's edges from
-- analytics.daily_series. Query 2 reads only these videos' series. PL/pgSQL with a
-- custom plan per call, as analytics.daily_series.
create or replace function analytics.videos_above_daily_views(
    p_from timestamptz,
    p_to timestamptz,
    p_views numeric
)
returns table (video_id varchar)
language plpgsql
stable
set plan_cache_mode = force_custom_plan
set jit = off
as $$
declare
    v_from_day timestamptz;
    v_to_day timestamptz;
begin
    select d.from_day, d.to_day into v_from_day, v_to_day
    from analytics.complete_days(p_from, p_to) as d;

    return query
    select v.video_id
    from analytics.video_daily_views_current as v
    where v.views > p_views and v.day >= v_from_day and v.day < v_to_day
    union
    select e.video_id
    from (
        select s.video_id, s.day, s.views
        from analytics.daily_series(p_from, least(v_from_day, p_to)) as s
        union all
        select s.video_id, s.day, s.views
        from analytics.daily_series(greatest(v_to_day, p_from), p_to) as s
    ) as e
    group by e.video_id, e.day
    having sum(e.views) > p_views;
end
$$;
