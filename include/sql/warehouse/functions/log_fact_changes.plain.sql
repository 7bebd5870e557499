-- requires: functions/warehouse_day, functions/warehouse_day_start
-- Logs the (channel, UTC hour) and (channel, warehouse day) buckets every statement
-- on the fact table touches, for the rollups' refresh functions (hand-made
-- corrections and TRUNCATE included).
create or replace function analytics.log_fact_changes()
returns trigger
language plpgsql
as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select r.rollup_name, c.channel_id,
            case when r.daily
                then analytics.warehouse_day_start(analytics.warehouse_day(c.hour))
                else c.hour
            end
        from (select distinct channel_id, date_trunc('hour', timestamp, 'UTC') as hour
              from new_rows) as c
        cross join (values
            ('hourly_channel_metrics', false),
            ('mv_recent_performance', false),
            ('mv_historical_performance', true)
        ) as r (rollup_name, daily);
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select r.rollup_name, c.channel_id,
            case when r.daily
                then analytics.warehouse_day_start(analytics.warehouse_day(c.hour))
                else c.hour
            end
        from (select distinct channel_id, date_trunc('hour', timestamp, 'UTC') as hour
              from old_rows) as c
        cross join (values
            ('hourly_channel_metrics', false),
            ('mv_recent_performance', false),
            ('mv_historical_performance', true)
        ) as r (rollup_name, daily);
    end if;
    if tg_op = 'TRUNCATE' then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select 'hourly_channel_metrics', channel_id, hour from analytics.hourly_channel_metrics
        union all
        select distinct 'mv_recent_performance', channel_id, hour
        from analytics.mv_recent_performance
        union all
        select 'mv_historical_performance', channel_id, day
        from analytics.mv_historical_performance;
    end if;
    return null;
end
$$;

create or replace trigger fact_changes_insert after insert on analytics.fact_video_performance
referencing new table as new_rows
for each statement execute function analytics.log_fact_changes();
create or replace trigger fact_changes_update after update on analytics.fact_video_performance
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_fact_changes();
create or replace trigger fact_changes_delete after delete on analytics.fact_video_performance
referencing old table as old_rows
for each statement execute function analytics.log_fact_changes();
create or replace trigger fact_changes_truncate after truncate on analytics.fact_video_performance
for each statement execute function analytics.log_fact_changes();
