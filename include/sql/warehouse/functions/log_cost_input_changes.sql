-- requires: functions/warehouse_day
-- Logs the (video, channel, warehouse day) of every cost a statement touches, so the
-- revenue load re-attributes it whatever its age. Runs as the owner: whoever writes
-- costs (other systems, other roles) needs no right on the log.
create or replace function analytics.log_cost_input_changes()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into analytics.revenue_input_invalidation (source, video_id, channel_id, revenue_date)
        select distinct 'cost_tracking', n.video_id, n.channel_id, analytics.warehouse_day(n.timestamp)
        from new_rows as n
        where n.timestamp is not null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into analytics.revenue_input_invalidation (source, video_id, channel_id, revenue_date)
        select distinct 'cost_tracking', o.video_id, o.channel_id, analytics.warehouse_day(o.timestamp)
        from old_rows as o
        where o.timestamp is not null;
    end if;
    if tg_op = 'TRUNCATE' then
        insert into analytics.revenue_input_invalidation (source, video_id, channel_id, revenue_date)
        select 'cost_tracking', r.video_id, r.channel_id, r.revenue_date
        from analytics.revenue_attribution as r
        where r.total_cost_cents <> 0
        union
        select 'cost_tracking', null, u.channel_id, u.revenue_date
        from analytics.unallocated_cost as u;
    end if;
    return null;
end
$$;

create or replace trigger cost_input_insert after insert on analytics.cost_tracking
referencing new table as new_rows
for each statement execute function analytics.log_cost_input_changes();
create or replace trigger cost_input_update after update on analytics.cost_tracking
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_cost_input_changes();
create or replace trigger cost_input_delete after delete on analytics.cost_tracking
referencing old table as old_rows
for each statement execute function analytics.log_cost_input_changes();
create or replace trigger cost_input_truncate after truncate on analytics.cost_tracking
for each statement execute function analytics.log_cost_input_changes();
