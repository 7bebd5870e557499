-- Logs the (video, day) of every partner payment a statement touches, so the revenue
-- load re-attributes it whatever its age. Runs as the owner, as log_cost_input_changes.
create or replace function analytics.log_partner_input_changes()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into analytics.revenue_input_invalidation (source, video_id, revenue_date)
        select distinct 'partner_revenue', n.video_id, n.revenue_date
        from new_rows as n;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into analytics.revenue_input_invalidation (source, video_id, revenue_date)
        select distinct 'partner_revenue', o.video_id, o.revenue_date
        from old_rows as o;
    end if;
    if tg_op = 'TRUNCATE' then
        insert into analytics.revenue_input_invalidation (source, video_id, channel_id, revenue_date)
        select 'partner_revenue', r.video_id, r.channel_id, r.revenue_date
        from analytics.revenue_attribution as r
        where r.sponsorship_revenue_cents <> 0 or r.affiliate_revenue_cents <> 0;
    end if;
    return null;
end
$$;

create or replace trigger partner_input_insert after insert on analytics.partner_revenue
referencing new table as new_rows
for each statement execute function analytics.log_partner_input_changes();
create or replace trigger partner_input_update after update on analytics.partner_revenue
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_partner_input_changes();
create or replace trigger partner_input_delete after delete on analytics.partner_revenue
referencing old table as old_rows
for each statement execute function analytics.log_partner_input_changes();
create or replace trigger partner_input_truncate after truncate on analytics.partner_revenue
for each statement execute function analytics.log_partner_input_changes();
