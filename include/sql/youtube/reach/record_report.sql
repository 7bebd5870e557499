insert into analytics.youtube_reporting_report (
    report_id, channel_id, job_id, day, report_created_at,
    rows_received, rows_loaded, rows_quarantined, run_id
)
values (
    %(report_id)s, %(channel_id)s, %(job_id)s, %(day)s, %(report_created_at)s,
    %(received)s, %(loaded)s, %(quarantined)s, %(run_id)s
)
on conflict (report_id) do update
    set
        rows_received = excluded.rows_received,
        rows_loaded = excluded.rows_loaded,
        rows_quarantined = excluded.rows_quarantined,
        run_id = excluded.run_id,
        downloaded_at = now()
