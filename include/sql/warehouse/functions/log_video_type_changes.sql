-- Query 5 groups revenue by the videos' type and category (dim_video): a statement
-- that adds, removes or re-labels videos that have revenue logs those videos'
-- revenue days as changed (revenue_invalidation), so that a kept answer over them is
-- not used until the next refresh recomputes it.
create or replace function analytics.log_video_type_changes()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_videos text [];
begin
    if tg_op = 'INSERT' then
        select array_agg(n.video_id) into v_videos from new_rows as n;
    elsif tg_op = 'DELETE' then
        select array_agg(o.video_id) into v_videos from old_rows as o;
    else
        select array_agg(n.video_id) into v_videos
        from new_rows as n
        inner join old_rows as o on n.video_id = o.video_id
        where (o.video_type, o.category) is distinct from (n.video_type, n.category);
    end if;
    insert into analytics.revenue_invalidation (revenue_date)
    select distinct r.revenue_date
    from analytics.revenue_attribution as r
    where r.video_id = any(v_videos);
    return null;
end
$$;

create or replace trigger video_type_changes_insert after insert on analytics.dim_video
referencing new table as new_rows
for each statement execute function analytics.log_video_type_changes();
create or replace trigger video_type_changes_update after update on analytics.dim_video
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_video_type_changes();
create or replace trigger video_type_changes_delete after delete on analytics.dim_video
referencing old table as old_rows
for each statement execute function analytics.log_video_type_changes();
