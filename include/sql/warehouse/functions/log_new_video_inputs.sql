-- requires: functions/warehouse_day
-- A video reaching dim_video makes its earlier costs and partner revenue
-- attributable to its channel (and its costs spreadable over its fact rows).
create or replace function analytics.log_new_video_inputs()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    insert into analytics.revenue_input_invalidation (source, video_id, channel_id, revenue_date)
    select distinct 'dim_video', c.video_id, n.channel_id, analytics.warehouse_day(c.timestamp)
    from new_rows as n
    inner join analytics.cost_tracking as c on n.video_id = c.video_id
    where c.timestamp is not null
    union
    select distinct 'dim_video', p.video_id, n.channel_id, p.revenue_date
    from new_rows as n
    inner join analytics.partner_revenue as p on n.video_id = p.video_id;
    return null;
end
$$;

create or replace trigger video_input_insert after insert on analytics.dim_video
referencing new table as new_rows
for each statement execute function analytics.log_new_video_inputs();
