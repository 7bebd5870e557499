-- The reach job of each of the run's channels, and the days it has a report loaded for.
select
    j.channel_id,
    j.job_created_at,
    coalesce(array_agg(distinct r.day) filter (where r.day is not null), '{}') as days_loaded
from analytics.youtube_reporting_job as j
left join analytics.youtube_reporting_report as r on j.channel_id = r.channel_id
where
    j.report_type_id = %(report_type_id)s
    and j.channel_id = any(%(channel_ids)s)
group by j.channel_id, j.job_created_at
order by j.channel_id
