-- The simulated content system's costs that have arrived: an upsert on
-- external_ref, as the real system writes them, so a cost sent again is never
-- a second row.
insert into analytics.cost_tracking as c (
    external_ref, video_id, channel_id, cost_type, cost_cents, timestamp, details
)
select
    u.external_ref,
    u.video_id,
    u.channel_id,
    u.cost_type,
    u.cost_cents,
    u.cost_at,
    jsonb_build_object('source', %(source)s::text) as details
from
    unnest(
        %(refs)s::text[], %(video_ids)s::text[], %(channel_ids)s::text[], %(cost_types)s::text[],
        %(cents)s::integer[], %(times)s::timestamptz[]
    ) as u (external_ref, video_id, channel_id, cost_type, cost_cents, cost_at)
on conflict (external_ref) do update
    set
        video_id = excluded.video_id,
        channel_id = excluded.channel_id,
        cost_type = excluded.cost_type,
        cost_cents = excluded.cost_cents,
        timestamp = excluded.timestamp,
        details = excluded.details
    where
    (c.video_id, c.channel_id, c.cost_type, c.cost_cents, c.timestamp, c.details)
    is distinct from
    (
        excluded.video_id, excluded.channel_id, excluded.cost_type, excluded.cost_cents,
        excluded.timestamp, excluded.details
    )
