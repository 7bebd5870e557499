-- Costs are written by other systems. A producer that sends a cost again (after a
-- lost commit acknowledgement, a retry, a replay) must update it, never add a
-- second row: every cost carries the producer's own reference, unique, and every
-- writer is an upsert on it (as partner_revenue.external_ref).
alter table analytics.cost_tracking add column external_ref text;

-- Rows written before: the reference the local stack's writer kept in
-- details->>'ref', else one made from the row id. A reference already taken by an
-- earlier row (a double count the missing key let in) keeps the row, marked with
-- its id, so that no total changes here; docs/reliability.md says how to find them.
-- The triggers stay off for this backfill: no cost's amount, owner or day changes,
-- so nothing needs attributing again.
alter table analytics.cost_tracking disable trigger user;

with referenced as (
    select
        c.id,
        coalesce(c.details ->> 'ref', 'cost_tracking:' || c.id) as ref,
        row_number() over (
            partition by coalesce(c.details ->> 'ref', 'cost_tracking:' || c.id)
            order by c.id
        ) as nth
    from analytics.cost_tracking as c
)

update analytics.cost_tracking as c
set
    external_ref = case
        when r.nth = 1 then r.ref
        else r.ref || ' (duplicate of an earlier row, id ' || c.id || ')'
    end
from referenced as r
where c.id = r.id;

alter table analytics.cost_tracking enable trigger user;

alter table analytics.cost_tracking alter column external_ref set not null;
alter table analytics.cost_tracking
add constraint cost_tracking_external_ref_key unique (external_ref);

comment on column analytics.cost_tracking.external_ref is
'The producer''s reference of the cost, unique: a cost sent again is an upsert on it.';
