-- The simulated content system's costs that have arrived: each written once
-- (its reference in details->>'ref'), as the real system would insert them.
insert into analytics.cost_tracking (
    video_id, channel_id, cost_type, cost_cents, timestamp, details
)
select
    u.video_id,
    u.channel_id,
    u.cost_type,
    u.cost_cents,
    u.cost_at,
    jsonb_build_object('ref', u.ref, 'source', %(source)s::text) as details
from
    unnest(
        %(refs)s::text[], %(video_ids)s::text[], %(channel_ids)s::text[], %(cost_types)s::text[],
        %(cents)s::integer[], %(times)s::timestamptz[]
    ) as u (ref, video_id, channel_id, cost_type, cost_cents, cost_at)
where not exists (
    select from analytics.cost_tracking as c
    where c.details ->> 'ref' = u.ref
)
