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
