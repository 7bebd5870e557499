-- Quality checks (analytics_quality_checks): which check wrote a result row, the
-- per-channel reconciliation of YouTube's channel totals against its video rows,
-- and the state that keeps Slack alerts from repeating (docs/quality-checks.md).

-- A class (freshness, reconciliation, ...) has several checks; a run replaces
-- its own rows check by check.
alter table analytics.quality_check_results add column check_name text;
update analytics.quality_check_results set check_name = check_class
where check_name is null;
alter table analytics.quality_check_results alter column check_name set not null;

create index idx_quality_results_run on analytics.quality_check_results (
    run_id, check_name
);

-- One row per check class that has ever sent a message. `condition` is the
-- sorted set of alerting [check_name, check_key, status] triples last sent;
-- times are the logical times of runs, never the wall clock.
create table analytics.quality_alert_state (
    check_class text primary key,
    alerting boolean not null,
    condition jsonb not null default '[]',
    episode_started_at timestamptz,
    last_sent_at timestamptz not null,
    last_message_kind text not null check (
        last_message_kind in ('alert', 'changed', 'reminder', 'recovery')
    ),
    last_run_id text not null,
    evaluated_at timestamptz not null,
    updated_at timestamptz not null default now()
);

create trigger quality_alert_state_updated_at before update on analytics.quality_alert_state
for each row execute function analytics.set_updated_at();

-- Every message sent, for audit and for Grafana annotations.
create table analytics.quality_alert_log (
    id bigserial primary key,
    check_class text not null,
    message_kind text not null,
    run_id text not null,
    logical_time timestamptz not null,
    condition jsonb not null,
    rows_total integer not null,
    sent_at timestamptz not null default now()
);

create index idx_quality_alert_log_class_time on analytics.quality_alert_log (
    check_class, logical_time
);

-- YouTube's channel total per (channel, YouTube day) against the sum of the
-- channel's video rows, over the 7 YouTube days up to the newest landed day at or
-- before p_as_of. Revenue and views are both compared (views catch a missed video
-- of a channel without revenue). A channel row without any video row compares
-- against zero (the loader missed every video); video rows without the channel
-- row are MISSING (the channel total was not landed, nothing can be reconciled).
-- Differences under half a cent are rounding in YouTube's figures, not a gap.
create or replace function analytics.check_channel_revenue_reconciliation(
    p_as_of timestamptz default now()
)
returns table (
    channel_id varchar,
    check_date date,
    channel_revenue numeric,
    videos_revenue numeric,
    difference numeric,
    difference_percentage numeric,
    channel_views bigint,
    videos_views bigint,
    video_rows bigint,
    status text
)
language sql stable
as $$
    with as_of_day as (
        -- YouTube's days are Pacific-time days, whatever the warehouse time zone.
        select (p_as_of at time zone 'America/Los_Angeles')::date as day
    ),

    newest as (
        select greatest(
            (
                select max(c.day) from analytics.yt_channel_daily as c
                where c.day <= (select a.day from as_of_day as a)
            ),
            (
                select max(v.day) from analytics.yt_video_daily as v
                where v.day <= (select a.day from as_of_day as a)
            )
        ) as day
    ),

    channel_days as (
        select
            c.channel_id,
            c.day,
            coalesce(c.estimated_revenue, 0) as revenue,
            c.views
        from analytics.yt_channel_daily as c
        cross join newest as n
        where c.day between n.day - 6 and n.day
    ),

    video_days as (
        select
            v.channel_id,
            v.day,
            sum(coalesce(v.estimated_revenue, 0)) as revenue,
            sum(v.views) as views,
            count(*) as video_rows
        from analytics.yt_video_daily as v
        cross join newest as n
        where v.day between n.day - 6 and n.day
        group by v.channel_id, v.day
    ),

    compared as (
        select
            coalesce(c.channel_id, v.channel_id) as channel_id,
            coalesce(c.day, v.day) as day,
            c.channel_id is not null as has_channel_row,
            c.revenue as channel_revenue,
            coalesce(v.revenue, 0) as videos_revenue,
            c.views as channel_views,
            coalesce(v.views, 0) as videos_views,
            coalesce(v.video_rows, 0) as video_rows
        from channel_days as c
        full join video_days as v on c.channel_id = v.channel_id and c.day = v.day
    ),

    ratios as (
        select
            cmp.*,
            case
                when not cmp.has_channel_row then null
                when abs(cmp.channel_revenue - cmp.videos_revenue) < 0.005 then 0
                when cmp.channel_revenue = 0 then 1
                else abs(cmp.channel_revenue - cmp.videos_revenue) / abs(cmp.channel_revenue)
            end as revenue_gap,
            case
                when not cmp.has_channel_row then null
                when cmp.channel_views = cmp.videos_views then 0
                when cmp.channel_views = 0 then 1
                else abs(cmp.channel_views - cmp.videos_views)::numeric / abs(cmp.channel_views)
            end as views_gap
        from compared as cmp
    )

    select
        r.channel_id,
        r.day,
        r.channel_revenue,
        r.videos_revenue,
        r.channel_revenue - r.videos_revenue,
        case when r.channel_revenue <> 0
                then round(100.0 * (r.channel_revenue - r.videos_revenue) / r.channel_revenue, 2)
        end,
        r.channel_views,
        r.videos_views,
        r.video_rows,
        case
            when not r.has_channel_row and (r.videos_revenue <> 0 or r.videos_views <> 0)
                then 'MISSING'
            when not r.has_channel_row then 'OK'
            when greatest(r.revenue_gap, r.views_gap) > 0.05 then 'MISMATCH'
            when greatest(r.revenue_gap, r.views_gap) > 0.02 then 'WARNING'
            else 'OK'
        end
    from ratios as r
    order by r.day desc, r.channel_id
$$;

grant select, insert, update, delete on analytics.quality_alert_state,
analytics.quality_alert_log to ytempire_loader;
grant usage, select on sequence analytics.quality_alert_log_id_seq to ytempire_loader;
grant select on analytics.quality_alert_state, analytics.quality_alert_log to ytempire_reader;
grant execute on function analytics.check_channel_revenue_reconciliation(timestamptz)
to ytempire_loader, ytempire_reader;
