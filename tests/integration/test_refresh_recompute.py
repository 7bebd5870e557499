"""An independent recomputation of every rollup, used as the oracle by the refresh tests.

The rollups are recomputed in Python from the raw rows of
`fact_video_performance` and `revenue_attribution` (no SQL aggregation, no call
to the refresh functions), with the definitions of the contract: hourly and
warehouse-day buckets, weighted engagement, ROI NULL without cost, pooled ROI,
dollars = cents / 100. The tests in this file check the oracle itself against
hand-computed figures. Helpers for loading test rows live here too.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from psycopg import sql

from ytempire import rollups, settings

UTC = ZoneInfo("UTC")
ZONE = ZoneInfo(settings.WAREHOUSE_TZ)
CENT = Decimal(100)

FACT_COLUMNS = (
    "video_id", "channel_id", "timestamp", "views", "likes", "dislikes", "comments", "shares",
    "watch_time_minutes", "estimated_revenue_cents", "cost_cents", "daily_row",
)
REVENUE_COLUMNS = (
    "video_id", "channel_id", "revenue_date", "ad_revenue_cents", "sponsorship_revenue_cents",
    "affiliate_revenue_cents", "other_revenue_cents", "ai_cost_cents", "api_cost_cents",
    "infrastructure_cost_cents",
)

# Columns read back from each rollup, key columns first.
ROLLUP_COLUMNS = {
    "hourly_channel_metrics": (
        ("hour", "channel_id"),
        ("videos_count", "total_views", "avg_engagement_rate", "estimated_revenue",
         "total_cost", "total_engagements", "observed_views"),
    ),
    "mv_recent_performance": (
        ("hour", "channel_id", "video_id"),
        ("views", "engagement_rate", "revenue_cents", "likes", "comments", "shares"),
    ),
    "mv_historical_performance": (
        ("day", "channel_id"),
        ("videos", "views", "avg_engagement", "revenue", "total_cost", "total_engagements",
         "watch_time_minutes"),
    ),
    "daily_revenue_summary": (
        ("revenue_date",),
        ("active_channels", "monetized_videos", "total_revenue", "total_cost", "total_profit",
         "avg_roi", "median_roi", "pooled_roi"),
    ),
}


# --- loading rows (INSERT only: COPY FROM STDIN crashes the TimescaleDB stand-in)

def fact_row(video_id, channel_id, ts, views=0, likes=0, comments=0, shares=0, dislikes=0,
             watch_time_minutes="0", estimated_revenue_cents=0, cost_cents=0,
             daily_row=False) -> dict:
    return {
        "video_id": video_id, "channel_id": channel_id, "timestamp": ts, "views": views,
        "likes": likes, "dislikes": dislikes, "comments": comments, "shares": shares,
        "watch_time_minutes": Decimal(watch_time_minutes),
        "estimated_revenue_cents": estimated_revenue_cents, "cost_cents": cost_cents,
        "daily_row": daily_row,
    }


def _columns(rows: list[dict], names) -> list[list]:
    return [[row[name] for row in rows] for name in names]


def insert_fact(conn, rows: list[dict]) -> None:
    """One INSERT statement for all rows, as a bulk load is (one trigger firing)."""
    if not rows:
        return
    conn.execute(
        "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, "
        "views, likes, dislikes, comments, shares, watch_time_minutes, "
        "estimated_revenue_cents, cost_cents, daily_row) select * from unnest(%s::text[], "
        "%s::text[], %s::timestamptz[], %s::bigint[], %s::int[], %s::int[], %s::int[], "
        "%s::int[], %s::numeric[], %s::int[], %s::int[], %s::boolean[])",
        _columns(rows, FACT_COLUMNS),
    )


def revenue_row(video_id, channel_id, day, ad=0, sponsorship=0, affiliate=0, other=0,
                ai_cost=0, api_cost=0, infrastructure_cost=0) -> dict:
    return {
        "video_id": video_id, "channel_id": channel_id, "revenue_date": day,
        "ad_revenue_cents": ad, "sponsorship_revenue_cents": sponsorship,
        "affiliate_revenue_cents": affiliate, "other_revenue_cents": other,
        "ai_cost_cents": ai_cost, "api_cost_cents": api_cost,
        "infrastructure_cost_cents": infrastructure_cost,
    }


def upsert_revenue(conn, rows: list[dict]) -> None:
    """As the revenue loader writes: one row per (video, day), replaced on re-load."""
    if not rows:
        return
    conn.execute(
        "insert into analytics.revenue_attribution (video_id, channel_id, revenue_date, "
        "ad_revenue_cents, sponsorship_revenue_cents, affiliate_revenue_cents, "
        "other_revenue_cents, ai_cost_cents, api_cost_cents, infrastructure_cost_cents) "
        "select * from unnest(%s::text[], %s::text[], %s::date[], %s::int[], %s::int[], "
        "%s::int[], %s::int[], %s::int[], %s::int[], %s::int[]) "
        "on conflict (video_id, revenue_date) do update set "
        "channel_id = excluded.channel_id, ad_revenue_cents = excluded.ad_revenue_cents, "
        "sponsorship_revenue_cents = excluded.sponsorship_revenue_cents, "
        "affiliate_revenue_cents = excluded.affiliate_revenue_cents, "
        "other_revenue_cents = excluded.other_revenue_cents, "
        "ai_cost_cents = excluded.ai_cost_cents, api_cost_cents = excluded.api_cost_cents, "
        "infrastructure_cost_cents = excluded.infrastructure_cost_cents",
        _columns(rows, REVENUE_COLUMNS),
    )


def stored_rows_table(conn, rollup: str) -> sql.Composable:
    """The table holding a rollup's stored rows: itself, or a continuous aggregate's
    materialization hypertable."""
    row = None
    if rollup in rollups.FACT_ROLLUPS and rollups.flavor(conn) == "timescale":
        row = conn.execute(
            "select materialization_hypertable_schema, materialization_hypertable_name "
            "from timescaledb_information.continuous_aggregates where view_name = %s",
            (rollup,),
        ).fetchone()
    return sql.Identifier(*row) if row else sql.Identifier("analytics", rollup)


def refresh_everything(conn, as_of: datetime) -> dict:
    """What the hourly and daily DAGs do for their runs at `as_of`."""
    return {r: rollups.refresh_for_run(conn, r, as_of) for r in rollups.ALL_ROLLUPS}


# --- the oracle

def _ratio(numerator, denominator):
    return Decimal(numerator) / Decimal(denominator) if denominator > 0 else None


def _round2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def warehouse_day_start(ts: datetime) -> datetime:
    local_day = ts.astimezone(ZONE).date()
    return datetime.combine(local_day, time(0), ZONE)


def expected_rollups(fact: list[dict], revenue: list[dict]) -> dict[str, dict]:
    hourly = defaultdict(list)
    per_video = defaultdict(list)
    daily = defaultdict(list)
    for row in fact:
        hourly[(row["timestamp"], row["channel_id"])].append(row)
        per_video[(row["timestamp"], row["channel_id"], row["video_id"])].append(row)
        daily[(warehouse_day_start(row["timestamp"]), row["channel_id"])].append(row)

    def engagements(rows):
        return sum(r["likes"] + r["comments"] + r["shares"] for r in rows)

    def views(rows):
        return sum(r["views"] for r in rows)

    expected = {
        "hourly_channel_metrics": {
            key: (
                len({r["video_id"] for r in rows}), views(rows),
                _ratio(engagements(rows), views(rows)),
                sum(r["estimated_revenue_cents"] for r in rows) / CENT,
                sum(r["cost_cents"] for r in rows) / CENT, engagements(rows),
                views(r for r in rows if not r["daily_row"]),
            )
            for key, rows in hourly.items()
        },
        "mv_recent_performance": {
            key: (
                views(rows), _ratio(engagements(rows), views(rows)),
                sum(r["estimated_revenue_cents"] for r in rows),
                sum(r["likes"] for r in rows), sum(r["comments"] for r in rows),
                sum(r["shares"] for r in rows),
            )
            for key, rows in per_video.items()
        },
        "mv_historical_performance": {
            key: (
                len({r["video_id"] for r in rows}), views(rows),
                _ratio(engagements(rows), views(rows)),
                sum(r["estimated_revenue_cents"] for r in rows) / CENT,
                sum(r["cost_cents"] for r in rows) / CENT, engagements(rows),
                sum((r["watch_time_minutes"] for r in rows), Decimal(0)),
            )
            for key, rows in daily.items()
        },
    }

    by_day = defaultdict(list)
    for row in revenue:
        by_day[row["revenue_date"]].append(row)
    summary = {}
    for day, rows in by_day.items():
        revenue_cents = [
            r["ad_revenue_cents"] + r["sponsorship_revenue_cents"]
            + r["affiliate_revenue_cents"] + r["other_revenue_cents"] for r in rows
        ]
        cost_cents = [
            r["ai_cost_cents"] + r["api_cost_cents"] + r["infrastructure_cost_cents"] for r in rows
        ]
        profits = [rev - cost for rev, cost in zip(revenue_cents, cost_cents, strict=True)]
        rois = [
            _round2(Decimal(100 * p) / Decimal(c))
            for p, c in zip(profits, cost_cents, strict=True) if c > 0
        ]
        total_cost = sum(cost_cents)
        summary[(day,)] = (
            len({r["channel_id"] for r in rows}), len({r["video_id"] for r in rows}),
            sum(revenue_cents) / CENT, total_cost / CENT, sum(profits) / CENT,
            sum(rois) / len(rois) if rois else None,
            statistics.median(float(x) for x in rois) if rois else None,
            _round2(Decimal(100 * sum(profits)) / Decimal(total_cost)) if total_cost else None,
        )
    expected["daily_revenue_summary"] = summary
    return expected


def _fetch(conn, table: str, columns) -> list[dict]:
    cur = conn.execute(
        "select " + ", ".join(columns) + " from analytics." + table  # noqa: S608 (constants)
    )
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def source_rows(conn) -> tuple[list[dict], list[dict]]:
    return (_fetch(conn, "fact_video_performance", FACT_COLUMNS),
            _fetch(conn, "revenue_attribution", REVENUE_COLUMNS))


def actual_rollups(conn, names=tuple(ROLLUP_COLUMNS)) -> dict[str, dict]:
    actual = {}
    for name in names:
        keys, values = ROLLUP_COLUMNS[name]
        actual[name] = {
            tuple(row[k] for k in keys): tuple(row[v] for v in values)
            for row in _fetch(conn, name, keys + values)
        }
    return actual


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = Decimal(str(a)), Decimal(str(b))
    return abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(b))


def rollup_differences(conn, names=tuple(ROLLUP_COLUMNS)) -> dict[str, list]:
    """Per rollup, the keys whose rows differ from a from-scratch recomputation."""
    expected = expected_rollups(*source_rows(conn))
    actual = actual_rollups(conn, names)
    differences = {}
    for name in names:
        want, got = expected[name], actual[name]
        wrong = [
            (key, want.get(key), got.get(key))
            for key in sorted(set(want) | set(got), key=repr)
            if key not in want or key not in got
            or not all(_same(x, y) for x, y in zip(got[key], want[key], strict=True))
        ]
        if wrong:
            differences[name] = wrong[:10]
    return differences


def assert_rollups_match(conn, names=tuple(ROLLUP_COLUMNS)) -> None:
    differences = rollup_differences(conn, names)
    assert differences == {}, f"rollups differ from a full recomputation: {differences}"


# --- the oracle, checked by hand

def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_oracle_hourly_and_daily_buckets_by_hand():
    fact = [
        fact_row("v1", "c1", _t("2026-03-08 07:00"), views=10, likes=2, comments=1,
                 estimated_revenue_cents=150, cost_cents=5, watch_time_minutes="1.25"),
        fact_row("v2", "c1", _t("2026-03-08 07:00"), views=0, shares=3),
        fact_row("v3", "c1", _t("2026-03-08 07:00"), views=5, daily_row=True),
        fact_row("v1", "c1", _t("2026-03-08 08:00"), views=-4),
        # 2026-03-08 07:59 UTC is still 2026-03-07 in Los Angeles (PST, UTC-8).
        fact_row("v1", "c1", _t("2026-03-08 09:00"), views=6, likes=3),
    ]
    got = expected_rollups(fact, [])
    hour7 = got["hourly_channel_metrics"][(_t("2026-03-08 07:00"), "c1")]
    assert hour7 == (3, 15, Decimal("0.4"), Decimal("1.5"), Decimal("0.05"), 6, 10)
    assert got["hourly_channel_metrics"][(_t("2026-03-08 08:00"), "c1")][2] is None
    assert got["mv_recent_performance"][(_t("2026-03-08 07:00"), "c1", "v2")] == (
        0, None, 0, 0, 0, 3)
    if settings.WAREHOUSE_TZ == "America/Los_Angeles":
        days = got["mv_historical_performance"]
        assert days[(_t("2026-03-07 08:00"), "c1")] == (
            3, 15, Decimal("0.4"), Decimal("1.5"), Decimal("0.05"), 6, Decimal("1.25"))
        # 08:00 UTC on 2026-03-08 is local midnight; that day has 23 hours.
        assert days[(_t("2026-03-08 08:00"), "c1")][:3] == (1, 2, Decimal("1.5"))


def test_oracle_revenue_summary_by_hand():
    day = date(2026, 3, 1)
    revenue = [
        revenue_row("v1", "c1", day, ad=1000, other=50, ai_cost=300),   # roi 250.00
        revenue_row("v2", "c1", day, ad=200, sponsorship=100, api_cost=200),  # roi 50.00
        revenue_row("v3", "c2", day, ad=7),                               # no cost: roi NULL
        revenue_row("v4", "c2", day, affiliate=1, infrastructure_cost=3),  # roi -66.67
    ]
    got = expected_rollups([], revenue)["daily_revenue_summary"][(day,)]
    assert got[:5] == (2, 4, Decimal("13.58"), Decimal("5.03"), Decimal("8.55"))
    assert got[5] == (Decimal("250.00") + Decimal("50.00") + Decimal("-66.67")) / 3
    assert got[6] == 50.0
    assert got[7] == Decimal("169.98")  # 100 * 855 / 503 = 169.980...
