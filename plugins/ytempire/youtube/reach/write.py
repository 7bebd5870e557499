"""Writing one unit of the reach load inside the runner's transaction: a new job
recorded, or a report landed (the channel's rows of its day replaced, refused lines
quarantined, the report recorded: a re-download replaces, never duplicates)."""

from __future__ import annotations

import psycopg

from ytempire.quarantine import quarantine
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.reach.fetch import REACH_REPORT_TYPE, SQL, Job
from ytempire.youtube.reach.parse import ReachReport
from ytempire.youtube.runner import Written

SOURCE = "youtube_reporting_reports.channel_reach_basic_a1"


def write(conn: psycopg.Connection, channel: Channel, unit: Job | ReachReport,
          run_id: str | None) -> Written:
    cid = channel.channel_id
    if isinstance(unit, Job):
        conn.execute(sql_file(SQL + "record_reporting_job.sql"), {
            "channel_id": cid, "report_type_id": REACH_REPORT_TYPE, "job_id": unit.job_id,
            "job_created_at": unit.created_at})
        return Written(0, counts={"jobs_recorded": 1})
    day = {"channel_id": cid, "day": unit.day}
    conn.execute(sql_file(SQL + "delete_channel_day.sql"), day)
    with conn.cursor() as cur, cur.copy(sql_file(SQL + "copy_reach_rows.sql")) as copy:
        for video, (impressions, ctr) in sorted(unit.rows.rows.items()):
            copy.write_row((video, unit.day, cid, impressions, ctr, unit.report_id,
                            unit.created_at, run_id))
    quarantined = quarantine(conn, SOURCE, unit.rows.rejected, run_id)
    conn.execute(sql_file(SQL + "record_report.sql"), day | {
        "report_id": unit.report_id, "job_id": unit.job_id,
        "report_created_at": unit.created_at, "received": unit.rows.received,
        "loaded": unit.rows.accepted, "quarantined": quarantined, "run_id": run_id})
    return Written(unit.rows.accepted, quarantined, {"reports": 1})
