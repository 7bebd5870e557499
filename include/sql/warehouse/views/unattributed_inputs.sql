-- requires: functions/warehouse_day
-- Inputs no (channel, day) can carry yet: a cost without timestamp, a cost
-- whose video is unknown and that names no channel, partner revenue of an
-- unknown video. Reported, never lost; attributed once the video is known.
create or replace view analytics.unattributed_inputs as
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
