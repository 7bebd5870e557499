"""The refresh DAGs' schedules: 03:00 warehouse time across DST changes (and after each
revenue load), hourly in UTC.

The run times come from the timetable the scheduler itself uses (the DAG's SDK
timetable converted to the core one), asked for one run after another.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pendulum
import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"
LA = ZoneInfo("America/Los_Angeles")
UTC = ZoneInfo("UTC")


@pytest.fixture(scope="module")
def dags():
    from airflow.dag_processing.dagbag import DagBag

    found = {}
    for dag_id in ("analytics_refresh_hourly", "analytics_refresh_daily"):
        bag = DagBag(dag_folder=str(DAGS / f"{dag_id}.py"))
        assert bag.import_errors == {}
        found[dag_id] = bag.dags[dag_id]
    return found


def _runs(dag, after: datetime, count: int) -> list[datetime]:
    """The next `count` scheduled run times strictly after `after`, as the scheduler sees them."""
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import DataInterval, TimeRestriction

    timetable = coerce_to_core_timetable(dag.timetable)
    restriction = TimeRestriction(earliest=None, latest=None, catchup=True)
    last = pendulum.instance(after)
    runs = []
    for _ in range(count):
        info = timetable.next_dagrun_info(
            last_automated_data_interval=DataInterval(last, last), restriction=restriction
        )
        runs.append(info.run_after)
        last = info.run_after
    return runs


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # Spring forward on 2026-03-08 (02:00 PST -> 03:00 PDT): 03:00 local exists.
        (datetime(2026, 3, 6, 12, tzinfo=UTC),
         ["2026-03-07T11:00", "2026-03-08T10:00", "2026-03-09T10:00"]),
        # Fall back on 2026-11-01 (02:00 PDT -> 01:00 PST): 03:00 local happens once.
        (datetime(2026, 10, 30, 12, tzinfo=UTC),
         ["2026-10-31T10:00", "2026-11-01T11:00", "2026-11-02T11:00"]),
    ],
)
def test_daily_refresh_fires_at_3am_local_across_dst(dags, after, expected_utc):
    runs = _runs(dags["analytics_refresh_daily"], after, 3)
    assert [r.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") for r in runs] == expected_utc
    assert [r.astimezone(LA).hour for r in runs] == [3, 3, 3]
    assert len({r.astimezone(LA).date() for r in runs}) == 3


def test_daily_refresh_follows_the_warehouse_time_zone_and_every_revenue_load(dags):
    from airflow.sdk import AssetOrTimeSchedule

    from ytempire import assets, settings

    schedule = dags["analytics_refresh_daily"].timetable
    assert isinstance(schedule, AssetOrTimeSchedule)
    assert schedule.timetable.expression == "0 3 * * *"
    assert str(schedule.timetable.timezone) == settings.WAREHOUSE_TZ
    # ... and as soon as the revenue load has written new attribution
    assert schedule.asset_condition == assets.REVENUE_ATTRIBUTION
    assert assets.REVENUE_ATTRIBUTION.uri == (
        f"postgres://{settings.WAREHOUSE_LOCATION}/analytics/revenue_attribution")


@pytest.mark.parametrize("day", ["2026-03-08", "2026-11-01"])
def test_hourly_refresh_runs_every_hour_through_dst_days(dags, day):
    start = datetime.fromisoformat(f"{day}T00:00").replace(tzinfo=LA)
    runs = _runs(dags["analytics_refresh_hourly"], start, 26)
    assert all(r.minute == 15 for r in runs)
    gaps = {(b - a).total_seconds() for a, b in zip(runs, runs[1:], strict=False)}
    assert gaps == {timedelta(hours=1).total_seconds()}


def test_refresh_dags_follow_the_house_rules(dags):
    from ytempire.airflow import OWNER, TAGS

    for dag in dags.values():
        assert dag.catchup is False
        assert dag.max_active_runs == 1
        assert dag.dagrun_timeout is not None
        assert dag.doc_md and dag.doc_md.strip().startswith("###")
        assert set(dag.tags) == {"ytempire", "refresh"} <= TAGS
        assert dag.params["full_rebuild"] is False
        for task in dag.tasks:
            assert task.owner == OWNER
            assert not task.task_id.startswith("task"), task.task_id
    assert sorted(dags["analytics_refresh_hourly"].task_ids) == [
        "refresh_hourly_channel_metrics", "refresh_mv_recent_performance",
    ]
    assert sorted(dags["analytics_refresh_daily"].task_ids) == [
        "analyze_changed_tables", "ensure_fact_partitions", "prune_video_stats_snapshot",
        "refresh_daily_revenue_summary", "refresh_mv_historical_performance", "run_compression_policy",
    ]
