select
    job_id,
    job_created_at
from analytics.youtube_reporting_job
where channel_id = %(channel_id)s and report_type_id = %(report_type_id)s
