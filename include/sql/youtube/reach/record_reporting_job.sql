insert into analytics.youtube_reporting_job (channel_id, report_type_id, job_id, job_created_at)
values (%(channel_id)s, %(report_type_id)s, %(job_id)s, %(job_created_at)s)
on conflict (channel_id, report_type_id) do update
    set job_id = excluded.job_id, job_created_at = excluded.job_created_at
