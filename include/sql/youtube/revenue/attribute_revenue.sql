-- revenue_attribution for one channel and YouTube day, recomputed from the
-- landed inputs: YouTube's figures (yt_video_daily), partner revenue, and the
-- costs of the warehouse day. Channel-only costs are spread over the channel's
-- videos that have fact rows that day, in proportion to their views (YouTube's
-- where reported, else max(views, 0) per hour; evenly without views), in integer cents by
-- analytics.split_cents (ties: video id); without such a video they go to
-- unallocated_cost.
-- Rows of the (channel, day) that no input carries any more are removed.
-- Unchanged rows are not rewritten.
with bounds as (
    select
        analytics.youtube_day_start(%(day)s::date) as day_start,
        analytics.youtube_day_start(%(day)s::date + 1) as day_end,
        analytics.warehouse_day_start(%(day)s::date) as cost_from,
        analytics.warehouse_day_start(%(day)s::date + 1) as cost_to
),

day_costs as (
    select
        c.video_id,
        coalesce(v.channel_id, c.channel_id) as channel_id,
        analytics.cost_category(c.cost_type) as category,
        c.cost_cents::numeric as cents
    from analytics.cost_tracking as c
    cross join bounds as b
    left join analytics.dim_video as v on c.video_id = v.video_id
    where c.timestamp >= b.cost_from and c.timestamp < b.cost_to
),

video_costs as (
    select
        video_id,
        coalesce(sum(cents) filter (where category = 'ai'), 0) as ai,
        coalesce(sum(cents) filter (where category = 'api'), 0) as api,
        coalesce(sum(cents) filter (where category = 'infrastructure'), 0) as infrastructure
    from day_costs
    where channel_id = %(channel_id)s and video_id is not null
    group by video_id
),

channel_costs as (
    select
        category,
        sum(cents) as cents,
        count(*) as cost_rows
    from day_costs
    where channel_id = %(channel_id)s and video_id is null
    group by category
    having sum(cents) <> 0
),

-- A video YouTube reported weighs its reported views: the same weight before
-- and after the spread makes them its fact views (re-runs allocate alike).
fact_views as (
    select
        f.video_id,
        coalesce(max(y.views), sum(greatest(f.views, 0))) as views
    from analytics.fact_video_performance as f
    cross join bounds as b
    left join analytics.yt_video_daily as y
        on f.video_id = y.video_id and y.day = %(day)s::date
    where
        f.channel_id = %(channel_id)s
        and f.timestamp >= b.day_start
        and f.timestamp < b.day_end
    group by f.video_id
),

carriers as (
    select
        array_agg(video_id order by video_id collate "C") as video_ids,
        array_agg(views::numeric order by video_id collate "C") as weights
    from fact_views
),

allocated as (
    select
        u.video_id,
        coalesce(sum(u.cents) filter (where cc.category = 'ai'), 0) as ai,
        coalesce(sum(u.cents) filter (where cc.category = 'api'), 0) as api,
        coalesce(sum(u.cents) filter (where cc.category = 'infrastructure'), 0) as infrastructure
    from channel_costs as cc
    cross join carriers as k
    cross join
        lateral unnest(k.video_ids, analytics.split_cents(k.weights, cc.cents))
            as u (video_id, cents)
    where k.video_ids is not null
    group by u.video_id
),

youtube as (
    select
        y.video_id,
        round(coalesce(y.estimated_ad_revenue, 0) * 100) as ad,
        round(coalesce(y.estimated_revenue, 0) * 100)
        - round(coalesce(y.estimated_ad_revenue, 0) * 100) as other
    from analytics.yt_video_daily as y
    where y.channel_id = %(channel_id)s and y.day = %(day)s::date
),

partner as (
    select
        p.video_id,
        coalesce(sum(p.amount_cents) filter (where p.kind = 'sponsorship'), 0) as sponsorship,
        coalesce(sum(p.amount_cents) filter (where p.kind = 'affiliate'), 0) as affiliate
    from analytics.partner_revenue as p
    inner join analytics.dim_video as v on p.video_id = v.video_id
    where p.revenue_date = %(day)s::date and v.channel_id = %(channel_id)s
    group by p.video_id
),

video_ids as (
    select video_id from youtube
    union
    select video_id from video_costs
    union
    select video_id from partner
    union
    select video_id from allocated
),

target as (
    select
        i.video_id,
        coalesce(y.ad, 0)::integer as ad_revenue_cents,
        coalesce(p.sponsorship, 0)::integer as sponsorship_revenue_cents,
        coalesce(p.affiliate, 0)::integer as affiliate_revenue_cents,
        coalesce(y.other, 0)::integer as other_revenue_cents,
        (coalesce(vc.ai, 0) + coalesce(a.ai, 0))::integer as ai_cost_cents,
        (coalesce(vc.api, 0) + coalesce(a.api, 0))::integer as api_cost_cents,
        (coalesce(vc.infrastructure, 0) + coalesce(a.infrastructure, 0))::integer
            as infrastructure_cost_cents
    from video_ids as i
    left join youtube as y on i.video_id = y.video_id
    left join partner as p on i.video_id = p.video_id
    left join video_costs as vc on i.video_id = vc.video_id
    left join allocated as a on i.video_id = a.video_id
),

removed as (
    delete from analytics.revenue_attribution as r
    where
        r.channel_id = %(channel_id)s
        and r.revenue_date = %(day)s::date
        and not exists (
            select from target as t
            where t.video_id = r.video_id
        )
    returning r.video_id
),

upserted as (
    insert into analytics.revenue_attribution as r (
        video_id, channel_id, revenue_date, ad_revenue_cents, sponsorship_revenue_cents,
        affiliate_revenue_cents, other_revenue_cents, ai_cost_cents, api_cost_cents,
        infrastructure_cost_cents
    )
    select
        t.video_id,
        %(channel_id)s,
        %(day)s::date,
        t.ad_revenue_cents,
        t.sponsorship_revenue_cents,
        t.affiliate_revenue_cents,
        t.other_revenue_cents,
        t.ai_cost_cents,
        t.api_cost_cents,
        t.infrastructure_cost_cents
    from target as t
    on conflict (video_id, revenue_date) do update
        set
            channel_id = excluded.channel_id,
            ad_revenue_cents = excluded.ad_revenue_cents,
            sponsorship_revenue_cents = excluded.sponsorship_revenue_cents,
            affiliate_revenue_cents = excluded.affiliate_revenue_cents,
            other_revenue_cents = excluded.other_revenue_cents,
            ai_cost_cents = excluded.ai_cost_cents,
            api_cost_cents = excluded.api_cost_cents,
            infrastructure_cost_cents = excluded.infrastructure_cost_cents
        where
        (
            r.channel_id, r.ad_revenue_cents, r.sponsorship_revenue_cents,
            r.affiliate_revenue_cents, r.other_revenue_cents, r.ai_cost_cents,
            r.api_cost_cents, r.infrastructure_cost_cents
        )
        is distinct from
        (
            excluded.channel_id, excluded.ad_revenue_cents, excluded.sponsorship_revenue_cents,
            excluded.affiliate_revenue_cents, excluded.other_revenue_cents,
            excluded.ai_cost_cents, excluded.api_cost_cents, excluded.infrastructure_cost_cents
        )
    returning r.video_id
),

unallocated as (
    select
        coalesce(sum(cents) filter (where category = 'ai'), 0) as ai,
        coalesce(sum(cents) filter (where category = 'api'), 0) as api,
        coalesce(sum(cents) filter (where category = 'infrastructure'), 0) as infrastructure,
        sum(cost_rows) as cost_rows
    from channel_costs
    where not exists (select from fact_views)
    having count(*) > 0
),

unallocated_removed as (
    delete from analytics.unallocated_cost as u
    where
        u.channel_id = %(channel_id)s
        and u.revenue_date = %(day)s::date
        and not exists (select from unallocated)
    returning u.channel_id
),

unallocated_upserted as (
    insert into analytics.unallocated_cost as u (
        channel_id, revenue_date, ai_cost_cents, api_cost_cents, infrastructure_cost_cents,
        cost_rows, reason
    )
    select
        %(channel_id)s,
        %(day)s::date,
        x.ai,
        x.api,
        x.infrastructure,
        x.cost_rows,
        'no video of the channel has a fact row that day' as reason
    from unallocated as x
    on conflict (channel_id, revenue_date) do update
        set
            ai_cost_cents = excluded.ai_cost_cents,
            api_cost_cents = excluded.api_cost_cents,
            infrastructure_cost_cents = excluded.infrastructure_cost_cents,
            cost_rows = excluded.cost_rows,
            reason = excluded.reason,
            updated_at = now()
        where
        (u.ai_cost_cents, u.api_cost_cents, u.infrastructure_cost_cents, u.cost_rows, u.reason)
        is distinct from
        (
            excluded.ai_cost_cents, excluded.api_cost_cents, excluded.infrastructure_cost_cents,
            excluded.cost_rows, excluded.reason
        )
    returning u.channel_id
)

select
    (select count(*) from target) as attributed,
    (select count(*) from upserted) as changed,
    (select count(*) from removed) as removed,
    (select coalesce(sum(ai + api + infrastructure), 0) from unallocated)::bigint as unallocated_cents,
    (select count(*) from unallocated_upserted) + (select count(*) from unallocated_removed)
        as unallocated_changed
