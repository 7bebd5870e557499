"""`analytics_forecasts` run by Airflow (`dag.test()`) against a real warehouse: the run's
logical date bounds the final days it trains on, too-young channels are reported, a
channel without a back-test yet (the local stack's first run) is forecast by seasonal
naive and the summary says why, the step is logged per batch, and `backtest: true`
re-tests on demand."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from revenue_expect import xcom
from test_forecasts import LAST, land, series

from rows import channels

DAGS = Path(__file__).resolve().parents[2] / "dags"
PACIFIC = ZoneInfo("America/Los_Angeles")


def _run(logical: datetime, conf: dict):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS / "analytics_forecasts.py"))
    assert bag.import_errors == {}
    return bag.dags["analytics_forecasts"].test(logical_date=logical, run_conf=conf)


@pytest.fixture
def wh(airflow_db, warehouse_connection):
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        channels(conn, ("UCgrown", "Grown", "active"), ("UCyoung", "Young", "active"),
                 ("UCnew", "New", "active"), ("UCgone", "Gone", "inactive"))
        land(conn, "UCgrown", series(120, last=LAST + timedelta(days=5)))
        land(conn, "UCyoung", series(10, seed=2))
        land(conn, "UCnew", series(60, seed=4))  # the local stack's default history
        land(conn, "UCgone", series(120, seed=3))
        yield conn


def test_a_daily_run_forecasts_from_the_days_before_its_logical_date(wh):
    logical = datetime(LAST.year, LAST.month, LAST.day, 7, tzinfo=PACIFIC) + timedelta(days=1)
    run = _run(logical, {"backtest": False, "channel_ids": None})
    assert run.state == "success"
    rows = wh.execute("select channel_id, trained_through, count(*), min(model), max(model) "
                      "from analytics.forecast_daily group by 1, 2 order by 1").fetchall()
    assert [r[:3] for r in rows] == [("UCgrown", LAST, 60), ("UCnew", LAST, 60)]
    assert rows[1][3:] == ("seasonal_naive", "seasonal_naive")  # nothing shows a model beats it
    step = wh.execute("select query_name, success, rows_returned "
                      "from analytics.query_performance_log "
                      "where query_name like 'analytics_forecasts.%%'").fetchall()
    assert step == [("analytics_forecasts.forecast_channel_batch.batch0", True, 3)]  # channels
    summary = xcom(run, "summarise_forecasts")
    assert (summary["channels"], summary["forecast"], summary["backtested"]) == (3, 2, 1)
    assert summary["skipped"] == {"UCyoung": "10 final day(s), a forecast needs 28"}
    assert summary["without_backtest"] == {"UCnew": (
        "seasonal naive: 60 final day(s), a back-test (and with it a model that beats "
        "seasonal naive) needs 84")}
    created = wh.execute("select max(created_at) from analytics.forecast_backtest").fetchone()[0]

    run = _run(logical, {"backtest": True, "channel_ids": ["UCgrown"]})
    assert run.state == "success"
    again = wh.execute("select max(created_at), count(distinct backtest_through) "
                       "from analytics.forecast_backtest").fetchone()
    assert again == (created, 1)  # re-tested on demand: the same data, the same rows
