select
    coalesce(sum(units), 0) as units,
    count(*) filter (where purpose = 'switch') as switches
from analytics.youtube_quota_ledger
where project = %(project)s and pacific_day = %(pacific_day)s
