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
   the next; no warehouse transaction is open during a call; at most
   YTEMPIRE_EXPERIMENT_SWITCHES_PER_DAY switches (200) per project and day within the
   quota left by the other DAGs: without budget the experiment is paused and resumes
   when units are back;
4. `announce_experiment_results`: one Slack message per concluded experiment once its
   final variant is live.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, dag, task

from ytempire import airflow as af
from ytempire import assets


@dag(
    schedule=CronTriggerTimetable("0 * * * *", timezone="UTC"),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=50),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "youtube"],
    doc_md=__doc__,
)
def youtube_experiments():
    @task(inlets=assets.EXPERIMENT_START.reads, outlets=assets.EXPERIMENT_START.writes)
    def start_pending_experiments(dag_run=None, run_id=None) -> list:
        return af.start_pending_experiments(af.logical_time(dag_run), run_id)

    @task(inlets=assets.EXPERIMENT_ANALYSIS.reads, outlets=assets.EXPERIMENT_ANALYSIS.writes)
    def analyse_experiments(dag_run=None) -> list:
        return af.analyse_experiments(af.logical_time(dag_run))

    @task(inlets=assets.EXPERIMENT_SWITCHES.reads, outlets=assets.EXPERIMENT_SWITCHES.writes)
    def switch_variants(run_id=None) -> list:
        return af.switch_variants(run_id)

    @task(inlets=assets.EXPERIMENT_ANNOUNCEMENT.reads, outlets=assets.EXPERIMENT_ANNOUNCEMENT.writes)
    def announce_experiment_results(dag_run=None) -> list:
        return af.announce_experiment_results(af.logical_time(dag_run))

    (start_pending_experiments() >> analyse_experiments() >> switch_variants()
     >> announce_experiment_results())


youtube_experiments()
