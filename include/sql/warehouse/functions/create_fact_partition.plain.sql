-- Internal to ensure_fact_partitions (called with the parent locked): rows of
-- the month already in DEFAULT are moved into the new partition.
create or replace function analytics.create_fact_partition(
    p_name text, p_from timestamptz, p_to timestamptz
)
returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
    create temp table stray_fact_rows on commit drop as
    select * from analytics.fact_video_performance_default
    where timestamp >= p_from and timestamp < p_to;
    delete from analytics.fact_video_performance_default
    where timestamp >= p_from and timestamp < p_to;
    execute format(
        'create table analytics.%I partition of analytics.fact_video_performance '
        'for values from (%L) to (%L)',
        p_name, p_from, p_to
    );
    insert into analytics.fact_video_performance (
        id, video_id, channel_id, timestamp, views, likes, dislikes, comments, shares,
        watch_time_minutes, average_view_duration_seconds, estimated_revenue_cents,
        actual_revenue_cents, cost_cents, daily_row, created_at, updated_at
    )
    select
        id, video_id, channel_id, timestamp, views, likes, dislikes, comments, shares,
        watch_time_minutes, average_view_duration_seconds, estimated_revenue_cents,
        actual_revenue_cents, cost_cents, daily_row, created_at, updated_at
    from stray_fact_rows;
    drop table stray_fact_rows;
end
$$;

revoke execute on function analytics.create_fact_partition(text, timestamptz, timestamptz) from public;
