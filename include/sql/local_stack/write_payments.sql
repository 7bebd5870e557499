-- Sponsorship and affiliate payments that have arrived: an upsert on
-- external_ref, so a payment sent again is never a second row.
insert into analytics.partner_revenue as p (
    external_ref, video_id, revenue_date, kind, amount_cents, source
)
select
    u.external_ref,
    u.video_id,
    u.revenue_date,
    u.kind,
    u.amount_cents,
    %(source)s::text as source
from
    unnest(
        %(refs)s::text[], %(video_ids)s::text[], %(days)s::date[], %(kinds)s::text[],
        %(cents)s::integer[]
    ) as u (external_ref, video_id, revenue_date, kind, amount_cents)
on conflict (external_ref) do update
    set
        video_id = excluded.video_id,
        revenue_date = excluded.revenue_date,
        kind = excluded.kind,
        amount_cents = excluded.amount_cents,
        source = excluded.source
    where
    (p.video_id, p.revenue_date, p.kind, p.amount_cents, p.source)
    is distinct from
    (
        excluded.video_id, excluded.revenue_date, excluded.kind, excluded.amount_cents,
        excluded.source
    )
