"""
### Switchback experiments on titles and thumbnails

Runs every hour at :00 (UTC). Operators register experiments in `analytics.experiment`
and `analytics.experiment_variant` (docs/experiments.md); each run:

1. `start_pending_experiments`: validates each pending experiment and computes its
   power from the video's recent impressions (CTR) or views (views per hour); refuses
   it with the reason (an under-powered design with the days it would need), or fills in
   the original (variant 0) from the live video, draws the randomised pairs of blocks
   and starts it;
2. `analyse_experiments`: per-block outcomes; while running, an always-valid interim
   interval; after the last block, once its data is in, the randomisation test's effect,
   interval and p-value in `experiment_result`, and the experiment concludes;
3. `switch_variants`: puts the variant each block calls for live (`videos.update` with
   the whole snippet, or `thumbnails.set`), the original after the last block, the
   winner (or the original) once concluded; each switch is journalled before the call
   and its exposure recorded at YouTube's answer time, so a killed run is repaired by
   the next; at most YTEMPIRE_EXPERIMENT_SWITCHES_PER_DAY switches (200) per project
   and day within the quota left by the other DAGs: without budget the experiment is
   paused and resumes when units are back;
4. `announce_experiment_results`: one Slack message per concluded experiment once its
   final variant is live.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, dag, task

from ytempire.dag_defaults import DEFAULT_ARGS, START_DATE, TEMPLATE_SEARCHPATH, logical_time

log = logging.getLogger(__name__)


@dag(
    schedule=CronTriggerTimetable("0 * * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=50),
    default_args=DEFAULT_ARGS,
    template_searchpath=TEMPLATE_SEARCHPATH,
    tags=["ytempire", "youtube"],
    doc_md=__doc__,
)
def youtube_experiments():
    @task
    def start_pending_experiments(dag_run=None, run_id=None) -> list:
        from airflow.sdk.exceptions import AirflowException

        from ytempire.experiments import start, video_api
        from ytempire.warehouse import connect

        with connect() as conn:
            conn.autocommit = True
            outcomes = start.start_pending(conn, logical_time(dag_run), run_id,
                                           video_api.client_for)
        for outcome in outcomes:
            log.info("%s", outcome)
        failed = [o for o in outcomes if o.status == "pending"]
        if failed:
            raise AirflowException(f"experiments not started (YouTube): {failed}")
        return [o.__dict__ for o in outcomes]

    @task
    def analyse_experiments(dag_run=None) -> list:
        from ytempire.experiments import analysis
        from ytempire.warehouse import connect

        with connect() as conn:
            conn.autocommit = True
            done = analysis.analyse_all(conn, logical_time(dag_run))
        for a in done:
            log.info("%s", a)
        return [{"experiment_id": a.experiment_id, "final": a.final, "pairs": a.pairs,
                 "winner": a.winner} for a in done]

    @task
    def switch_variants(run_id=None) -> list:
        from airflow.sdk.exceptions import AirflowException

        from ytempire.experiments import video_api
        from ytempire.experiments.switch import Switcher
        from ytempire.warehouse import connect

        with connect() as conn:
            conn.autocommit = True
            outcomes = Switcher(conn, run_id, video_api.client_for).run()
        for outcome in outcomes:
            log.info("experiment %s: %s", outcome.experiment_id, outcome.actions or "no change")
        errors = [f"experiment {o.experiment_id}: {o.error}" for o in outcomes if o.error]
        if errors:
            raise AirflowException("retryable YouTube errors: " + "; ".join(errors))
        return [{"experiment_id": o.experiment_id, "actions": o.actions} for o in outcomes]

    @task
    def announce_experiment_results(dag_run=None) -> list:
        from ytempire.experiments import announce
        from ytempire.warehouse import connect

        with connect() as conn:
            conn.autocommit = True
            return announce.announce(conn, logical_time(dag_run))

    (start_pending_experiments() >> analyse_experiments() >> switch_variants()
     >> announce_experiment_results())


youtube_experiments()
