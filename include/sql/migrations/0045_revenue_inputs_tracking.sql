-- The daily revenue load (youtube_revenue_attribution): YouTube-day helpers,
-- the cost categories, where channel costs nobody could carry are kept, and the
-- log of (video, day)s whose inputs changed, so late costs and partner revenue
-- are re-attributed whatever their age.

-- YouTube's days are Pacific-time days, whatever the warehouse time zone.
create or replace function analytics.youtube_day_start(d date)
returns timestamptz
language sql immutable parallel safe
as $$ select d::timestamp at time zone 'America/Los_Angeles' $$;

-- DESIGN.md: ai_generation, voice_synthesis -> AI; api_calls -> API; the rest -> infrastructure.
create or replace function analytics.cost_category(p_cost_type text)
returns text
language sql immutable parallel safe
as $$
    select case
        when p_cost_type in ('ai_generation', 'voice_synthesis') then 'ai'
        when p_cost_type = 'api_calls' then 'api'
        else 'infrastructure'
    end
$$;

-- Channel-only costs of a (channel, day) on which none of the channel's videos
-- has a fact row: reported here, never lost; re-spread when the day is re-attributed.
create table analytics.unallocated_cost (
    channel_id varchar(50) not null,
    revenue_date date not null,
    ai_cost_cents bigint not null default 0,
    api_cost_cents bigint not null default 0,
    infrastructure_cost_cents bigint not null default 0,
    total_cost_cents bigint generated always as (
        ai_cost_cents + api_cost_cents + infrastructure_cost_cents
    ) stored,
    cost_rows integer not null,
    reason text not null,
    updated_at timestamptz not null default now(),
    primary key (channel_id, revenue_date)
);

create index idx_unallocated_cost_date on analytics.unallocated_cost (revenue_date);

-- (video, channel, day) units whose cost or partner revenue changed. The load
-- resolves each to (channel of the video in dim_video, else the row's channel,
-- day), re-attributes it and deletes the entries it consumed. Entries that
-- resolve to no channel wait here until the video reaches dim_video.
create table analytics.revenue_input_invalidation (
    id bigserial primary key,
    source text not null,
    video_id varchar(50),
    channel_id varchar(50),
    revenue_date date not null,
    logged_at timestamptz not null default now()
);

create index idx_revenue_input_invalidation_channel
on analytics.revenue_input_invalidation (channel_id);
create index idx_revenue_input_invalidation_video
on analytics.revenue_input_invalidation (video_id);

-- The load reads one day's partner revenue per channel and day, and replaces
-- the quarantine rows of each channel-day it re-loads.
create index idx_partner_revenue_date on analytics.partner_revenue (revenue_date);
create index idx_load_quarantine_channel_day on analytics.load_quarantine (
    source, channel_id, day
);

-- The triggers below run as the owner: whoever writes costs or partner revenue
-- (other systems, other roles) needs no right on the log.

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

create trigger cost_input_insert after insert on analytics.cost_tracking
referencing new table as new_rows
for each statement execute function analytics.log_cost_input_changes();
create trigger cost_input_update after update on analytics.cost_tracking
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_cost_input_changes();
create trigger cost_input_delete after delete on analytics.cost_tracking
referencing old table as old_rows
for each statement execute function analytics.log_cost_input_changes();
create trigger cost_input_truncate after truncate on analytics.cost_tracking
for each statement execute function analytics.log_cost_input_changes();

create trigger partner_input_insert after insert on analytics.partner_revenue
referencing new table as new_rows
for each statement execute function analytics.log_partner_input_changes();
create trigger partner_input_update after update on analytics.partner_revenue
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_partner_input_changes();
create trigger partner_input_delete after delete on analytics.partner_revenue
referencing old table as old_rows
for each statement execute function analytics.log_partner_input_changes();
create trigger partner_input_truncate after truncate on analytics.partner_revenue
for each statement execute function analytics.log_partner_input_changes();

create trigger video_input_insert after insert on analytics.dim_video
referencing new table as new_rows
for each statement execute function analytics.log_new_video_inputs();

-- Inputs no (channel, day) can carry yet: a cost without timestamp, a cost
-- whose video is unknown and that names no channel, partner revenue of an
-- unknown video. Reported, never lost; attributed once the video is known.
create view analytics.unattributed_inputs as
select
    'cost_tracking'::text as source,
    c.id,
    c.video_id,
    c.channel_id,
    analytics.warehouse_day(c.timestamp) as revenue_date,
    c.cost_type as kind,
    c.cost_cents as amount_cents,
    case
        when c.timestamp is null then 'cost without timestamp'
        else 'video not in dim_video and no channel_id'
    end as reason
from analytics.cost_tracking as c
left join analytics.dim_video as v on c.video_id = v.video_id
where c.timestamp is null or (c.channel_id is null and v.video_id is null)
union all
select
    'partner_revenue' as source,
    p.id,
    p.video_id,
    null as channel_id,
    p.revenue_date,
    p.kind,
    p.amount_cents,
    'video not in dim_video' as reason
from analytics.partner_revenue as p
left join analytics.dim_video as v on p.video_id = v.video_id
where v.video_id is null;

-- Monthly (UTC) fact partitions for every hour of the YouTube days
-- [p_first_day, p_last_day]; run once before the parallel loads, because
-- creating a partition locks the parent. A no-op on TimescaleDB.
create or replace function analytics.ensure_fact_partitions_for_days(
    p_first_day date, p_last_day date
)
returns table (month text, created boolean)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_month date;
begin
    for v_month in
        select m::date
        from generate_series(
            date_trunc('month', analytics.youtube_day_start(p_first_day) at time zone 'UTC'),
            date_trunc(
                'month', (analytics.youtube_day_start(p_last_day + 1) - interval '1 hour') at time zone 'UTC'
            ),
            interval '1 month'
        ) as m
    loop
        month := to_char(v_month, 'YYYY-MM');
        created := analytics.ensure_fact_partition(v_month);
        return next;
    end loop;
end
$$;
