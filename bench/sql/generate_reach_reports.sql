-- Bench set-up: the reach report of each channel and Pacific day in [first, last]
-- (what the reach load records per downloaded report).
insert into analytics.youtube_reporting_report (
    report_id, channel_id, job_id, day, report_created_at, rows_received, rows_loaded,
    rows_quarantined, run_id
)
select
    concat_ws(':', 'bench', c, d::date),
    'UCbench' || lpad(c::text, 5, '0'),
    'bench-job-' || c,
    d::date,
    d + interval '2 days',
    count(*),
    count(*),
    0,
    'bench'
from generate_series(0, %(channels)s - 1) as c
cross join generate_series(%(first)s::date, %(last)s::date, interval '1 day') as d
inner join analytics.yt_reach_daily as r
    on r.channel_id = 'UCbench' || lpad(c::text, 5, '0') and d::date = r.day
group by c, d
