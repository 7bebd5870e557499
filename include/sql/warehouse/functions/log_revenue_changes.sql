-- Logs the revenue days every statement on revenue_attribution touches, for
-- refresh_daily_revenue_summary (hand-made corrections and TRUNCATE included).
create or replace function analytics.log_revenue_changes()
returns trigger
language plpgsql
as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into analytics.revenue_invalidation (revenue_date)
        select distinct revenue_date from new_rows;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into analytics.revenue_invalidation (revenue_date)
        select distinct revenue_date from old_rows;
    end if;
    if tg_op = 'TRUNCATE' then
        insert into analytics.revenue_invalidation (revenue_date)
        select revenue_date from analytics.daily_revenue_summary;
    end if;
    return null;
end
$$;

create or replace trigger revenue_changes_insert after insert on analytics.revenue_attribution
referencing new table as new_rows
for each statement execute function analytics.log_revenue_changes();
create or replace trigger revenue_changes_update after update on analytics.revenue_attribution
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_revenue_changes();
create or replace trigger revenue_changes_delete after delete on analytics.revenue_attribution
referencing old table as old_rows
for each statement execute function analytics.log_revenue_changes();
create or replace trigger revenue_changes_truncate after truncate on analytics.revenue_attribution
for each statement execute function analytics.log_revenue_changes();
