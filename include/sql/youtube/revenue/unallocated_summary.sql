-- What the window's attribution could not carry, for the run's report: channel
-- costs without a video that day, and inputs no channel can be found for yet.
select
    'unallocated_cost' as kind,
    count(*) as entries,
    coalesce(sum(u.total_cost_cents), 0)::bigint as cents
from analytics.unallocated_cost as u
where u.revenue_date between %(first_day)s::date and %(last_day)s::date
union all
select
    'unattributed_' || i.source as kind,
    count(*) as entries,
    coalesce(sum(i.amount_cents), 0)::bigint as cents
from analytics.unattributed_inputs as i
group by i.source
