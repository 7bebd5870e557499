"""mv_historical_performance holds complete warehouse days only, on both paths: the
day in progress at the run's logical time appears once it is over."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ytempire import rollups

from rows import facts

LA = ZoneInfo("America/Los_Angeles")


def historical(conn) -> list[tuple]:
    return conn.execute(
        "select day, channel_id, views::bigint from analytics.mv_historical_performance"
        " order by day, channel_id").fetchall()


def test_the_day_in_progress_appears_once_it_is_over(warehouse):
    conn = warehouse
    # 2026-11-19 and 2026-11-20 in Los Angeles (UTC-8); the last row is 2026-11-20 23:00 local.
    facts(conn,
          ("v1", "UC", "2026-11-19T09:00", 5, 0, 0, 0, 0, 0),
          ("v2", "UC", "2026-11-20T07:00", 2, 0, 0, 0, 0, 0),  # still the 19th locally
          ("v1", "UC", "2026-11-20T08:00", 7, 0, 0, 0, 0, 0),  # the 20th
          ("v1", "UC", "2026-11-21T07:00", 11, 0, 0, 0, 0, 0))  # the 20th, last hour
    day_19, day_20 = (datetime(2026, 11, d, tzinfo=LA) for d in (19, 20))

    # At 15:00 on the 20th only the 19th is complete.
    during = datetime(2026, 11, 20, 15, tzinfo=LA)
    rollups.refresh_for_run(conn, "mv_historical_performance", during)
    assert historical(conn) == [(day_19, "UC", 5 + 2)]

    # At 03:00 on the 21st the 20th is over.
    after = datetime(2026, 11, 21, 3, tzinfo=LA)
    rollups.refresh_for_run(conn, "mv_historical_performance", after)
    assert historical(conn) == [(day_19, "UC", 7), (day_20, "UC", 7 + 11)]


def test_a_refresh_without_a_logical_time_leaves_out_the_current_day(warehouse):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    facts(warehouse, ("v1", "UC", now.strftime("%Y-%m-%dT%H:%M"), 3, 0, 0, 0, 0, 0))
    warehouse.execute("select analytics.refresh_materialized_views()")
    assert historical(warehouse) == []
