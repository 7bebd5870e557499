"""OpenLineage events of real runs of `youtube_reporting_reports` and `youtube_experiments`
(file transport) name each task's `analytics.*` inputs and outputs, and they are what the
task's SQL reads and writes (derived from the statements it executed: `lineage.py`).
One experiment's whole life runs, so every task runs every statement it has: started,
switched block by block, concluded once its reach is in, the winner applied, announced."""

from __future__ import annotations

import pendulum
import psycopg
from lineage import recorded_statements
from revenue_expect import load_dag
from test_lineage import assert_lineage
from test_youtube_experiments import (  # noqa: F401 (fixtures)
    CHALLENGER,
    DAY,
    START,
    land_reach,
    pick_video,
    register,
    sim,
    slack,
    wh,
)


def test_reach_and_experiments_emit_what_their_sql_reads_and_writes(
        airflow_db, warehouse_connection, sim, wh, slack, db_path):  # noqa: F811
    reach, experiments = load_dag("youtube_reporting_reports"), load_dag("youtube_experiments")
    world = sim.world
    video = pick_video(world)
    land_reach(wh, world, world.channels[0].id, [START.date() - i * DAY for i in range(3, 31)])
    world.edits.set_true_effect(video.id, 1.6, title=CHALLENGER)
    eid = register(wh, video)
    # views per hour: its pre-period is read from the hourly facts (none here: refused)
    other = next(v for v in world.videos if v.id != video.id and v.available_at(START))
    refused = register(wh, other, metric="views_per_hour", block_hours=1)

    def run(dag, at):
        sim.set_clock(at)
        return dag.test(logical_date=pendulum.instance(at))

    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        with recorded_statements() as statements:
            runs = [run(reach, START), run(experiments, START)]
            runs += [run(experiments, START + i * DAY) for i in range(1, 13)]
            # the reports of the experiment's days come in; the next run concludes it
            runs += [run(reach, START + 16 * DAY), run(experiments, START + 16 * DAY)]
        assert conn.execute("select status, announced_at is not null from analytics.experiment "
                            "where experiment_id = %s", (eid,)).fetchone() == ("concluded", True)
        assert conn.execute("select status_reason from analytics.experiment where "
                            "experiment_id = %s", (refused,)).fetchone()[0].startswith(
                                "too little pre-period data")
        compared = assert_lineage(conn, statements, runs, db_path)
    assert {"plan_channel_batches", "load_reach_reports", "report_reach_load",
            "start_pending_experiments", "analyse_experiments", "switch_variants",
            "announce_experiment_results"} <= compared
