-- One row per (video, YouTube day). Money in integer cents; ROI is NULL without
-- cost (KNOWN-DEFECTS 12) and unbounded, so a huge ratio never fails an insert.
create table analytics.revenue_attribution (
    id bigserial primary key,
    video_id varchar(50) not null,
    channel_id varchar(50) not null,
    revenue_date date not null,
    ad_revenue_cents integer not null default 0,
    sponsorship_revenue_cents integer not null default 0,
    affiliate_revenue_cents integer not null default 0,
    other_revenue_cents integer not null default 0,
    ai_cost_cents integer not null default 0,
    api_cost_cents integer not null default 0,
    infrastructure_cost_cents integer not null default 0,
    total_revenue_cents bigint generated always as (
        ad_revenue_cents::bigint + sponsorship_revenue_cents
        + affiliate_revenue_cents + other_revenue_cents
    ) stored,
    total_cost_cents bigint generated always as (
        ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents
    ) stored,
    profit_cents bigint generated always as (
        (
            ad_revenue_cents::bigint + sponsorship_revenue_cents
            + affiliate_revenue_cents + other_revenue_cents
        )
        - (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents)
    ) stored,
    roi_percentage numeric generated always as (
        case
            when (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents) > 0
                then round(
                    100.0 * (
                        (
                            ad_revenue_cents::bigint + sponsorship_revenue_cents
                            + affiliate_revenue_cents + other_revenue_cents
                        )
                        - (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents)
                    )
                    / (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents),
                    2
                )
        end
    ) stored,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    unique (video_id, revenue_date)
);

create index idx_revenue_channel_date on analytics.revenue_attribution (channel_id, revenue_date);

create trigger revenue_attribution_updated_at before update on analytics.revenue_attribution
for each row execute function analytics.set_updated_at();

-- Maintained incrementally on both paths: rows for the days in revenue_invalidation.
create table analytics.daily_revenue_summary (
    revenue_date date primary key,
    active_channels bigint not null,
    monetized_videos bigint not null,
    total_revenue numeric not null,
    total_cost numeric not null,
    total_profit numeric not null,
    avg_roi numeric,
    median_roi double precision,
    pooled_roi numeric
);

create table analytics.revenue_invalidation (
    revenue_date date not null,
    logged_at timestamptz not null default now()
);

create index idx_revenue_invalidation_date on analytics.revenue_invalidation (revenue_date);

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

create trigger revenue_changes_insert after insert on analytics.revenue_attribution
referencing new table as new_rows
for each statement execute function analytics.log_revenue_changes();
create trigger revenue_changes_update after update on analytics.revenue_attribution
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_revenue_changes();
create trigger revenue_changes_delete after delete on analytics.revenue_attribution
referencing old table as old_rows
for each statement execute function analytics.log_revenue_changes();
create trigger revenue_changes_truncate after truncate on analytics.revenue_attribution
for each statement execute function analytics.log_revenue_changes();

-- Recomputes exactly the logged days; returns how many days were recomputed.
create or replace function analytics.refresh_daily_revenue_summary()
returns integer
language plpgsql
as $$
declare
    v_days date [];
begin
    perform pg_advisory_xact_lock(hashtext('analytics.daily_revenue_summary'));
    with consumed as (
        delete from analytics.revenue_invalidation returning revenue_date
    )
    select coalesce(array_agg(distinct revenue_date), '{}') into v_days from consumed;

    delete from analytics.daily_revenue_summary where revenue_date = any(v_days);
    insert into analytics.daily_revenue_summary
    select
        revenue_date,
        count(distinct channel_id),
        count(distinct video_id),
        sum(total_revenue_cents) / 100.0,
        sum(total_cost_cents) / 100.0,
        sum(profit_cents) / 100.0,
        avg(roi_percentage),
        percentile_cont(0.5) within group (order by roi_percentage),
        round(100.0 * sum(profit_cents) / nullif(sum(total_cost_cents), 0), 2)
    from analytics.revenue_attribution
    where revenue_date = any(v_days)
    group by revenue_date;
    return cardinality(v_days);
end
$$;
