"""The Experiments dashboard's panels, as Grafana runs them (read-only role), against
experiments built here: a concluded one with a final result, a running one with an
interim result and a block whose variant went live too late, a title with a quote, one
outside the range. Expected rows are computed here from the rows inserted."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from test_dashboard_panels import DASHBOARDS, assert_rows, check_format, run_panel

from ytempire_dev.grafana_sql import TimeRange

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)  # a Pacific midnight
DAY = timedelta(days=1)
RANGE = TimeRange(T0 - 5 * DAY, T0 + 20 * DAY)


def panels() -> dict:
    doc = json.loads((DASHBOARDS / "experiments.json").read_text())
    return {p["title"]: p for p in doc["panels"]}


def insert(conn, table: str, row: dict):
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    return conn.execute(f"insert into analytics.{table} ({cols}) values ({marks}) "  # noqa: S608
                        "returning *", list(row.values())).fetchone()


def build_experiments(conn, T0: datetime = T0) -> dict:  # noqa: N803 (the module's T0)
    """Two experiments from `T0` (a Pacific midnight) and one long before; returns what
    the panels need."""
    conn.execute("insert into analytics.dim_channel (channel_id, channel_name) "
                 "values ('UCexp', 'Experiments')")
    for vid, title in (("vexp1", "O'Brien's \"best\" title"), ("vexp2", "Plain"),
                       ("vold", "Old")):
        conn.execute("insert into analytics.dim_video (video_id, channel_id, title) "
                     "values (%s, 'UCexp', %s)", (vid, title))
    made = {}
    for key, vid, status, start, ends, concluded in (
            ("done", "vexp1", "concluded", T0, T0 + 4 * DAY, T0 + 7 * DAY),
            ("live", "vexp2", "running", T0 + 5 * DAY, T0 + 9 * DAY, None),
            ("old", "vold", "concluded", T0 - 40 * DAY, T0 - 36 * DAY, T0 - 30 * DAY)):
        made[key] = insert(conn, "experiment", {
            "video_id": vid, "kind": "title", "metric": "ctr", "block_hours": 24, "blocks": 4,
            "warmup_hours": 0, "min_detectable_effect": 0.2, "seed": 1, "status": status,
            "starts_at": start, "ends_at": ends, "concluded_at": concluded,
            "predicted_power": 0.8347, "status_reason": "r"})[0]
        for variant, title in ((0, "Original 'one'"), (1, "Challenger")):
            insert(conn, "experiment_variant", {"experiment_id": made[key], "variant": variant,
                                                "title": title})
        for i, variant in enumerate((1, 0, 0, 1)):
            insert(conn, "experiment_block", {
                "experiment_id": made[key], "block_index": i, "pair_index": i // 2,
                "variant": variant, "starts_at": start + i * DAY,
                "ends_at": start + (i + 1) * DAY, "analysed_from": start + i * DAY})
    done, live = made["done"], made["live"]
    for eid, variant, started, ended in (
            (done, 1, T0, T0 + DAY), (done, 0, T0 + DAY, T0 + 3 * DAY),
            (done, 1, T0 + 3 * DAY, None),
            (live, 1, T0 + 5 * DAY + timedelta(hours=2), None)):
        insert(conn, "experiment_exposure", {"experiment_id": eid, "variant": variant,
                                             "started_at": started, "ended_at": ended,
                                             "applied_by_run": f"run {started:%d}"})
    outcomes = {(done, 0): (50.0, 1000.0, True), (done, 1): (40.0, 1000.0, True),
                (done, 2): (41.0, 1025.0, True), (done, 3): (60.0, 1200.0, True),
                (live, 0): (30.0, 900.0, False)}
    for (eid, block), (clicks, impressions, clean) in outcomes.items():
        insert(conn, "experiment_block_outcome", {
            "experiment_id": eid, "block_index": block, "variant": (1, 0, 0, 1)[block],
            "numerator": clicks, "denominator": impressions,
            "outcome": math.log(clicks / impressions), "clean": clean,
            "note": None if clean else "variant not live over the analysed window",
            "computed_at": T0})
    for eid, final, effect, low, high, p, winner in (
            (done, True, 0.1234567, -0.05, 0.31, 0.0625, None),
            (done, False, 0.2, -0.4, 0.9, 0.5, None),
            (live, False, -0.01, -0.5, 0.6, 1.0, None)):
        insert(conn, "experiment_result", {
            "experiment_id": eid, "final": final, "effect": effect, "ci_low": low,
            "ci_high": high, "p_value": p, "winner_variant": winner, "blocks_used": 4,
            "method": "m", "computed_at": T0})
    return {"done": done, "live": live, "outcomes": outcomes}


def pct(x, places):
    return round(Decimal(str(x)) * 100, places)


def test_experiment_panels_return_the_expected_rows(warehouse):
    made = build_experiments(warehouse)
    done, live = made["done"], made["live"]
    found = panels()
    assert set(found) == {"Experiments", "Variant Timeline", "Per-Block Outcomes"}
    wanted = {
        "Experiments": [
            (live, "Plain (vexp2)", "title", "ctr", "running", T0 + 5 * DAY, T0 + 9 * DAY, 4,
             Decimal("20.0"), Decimal("83.5"), "interim", pct(-0.01, 2), pct(-0.5, 2),
             pct(0.6, 2), Decimal("1.0000"), None, 4, "r"),
            (done, "O'Brien's \"best\" title (vexp1)", "title", "ctr", "concluded", T0,
             T0 + 4 * DAY, 4, Decimal("20.0"), Decimal("83.5"), "final", pct(0.1234567, 2),
             pct(-0.05, 2), pct(0.31, 2), Decimal("0.0625"), None, 4, "r"),
        ],
        "Variant Timeline": [
            (live, 1, "Challenger", T0 + 5 * DAY + timedelta(hours=2), None,
             Decimal("358.0"), "run 07"),
            (done, 1, "Challenger", T0, T0 + DAY, Decimal("24.0"), "run 02"),
            (done, 0, "Original 'one'", T0 + DAY, T0 + 3 * DAY, Decimal("48.0"), "run 03"),
            (done, 1, "Challenger", T0 + 3 * DAY, None, Decimal("408.0"), "run 05"),
        ],
    }
    blocks = []
    for eid in (live, done):
        start = T0 + 5 * DAY if eid == live else T0
        for i, variant in enumerate((1, 0, 0, 1)):
            o = made["outcomes"].get((eid, i))
            rate = round(Decimal(100 * o[0] / o[1]), 3) if o else None
            blocks.append((eid, i, i // 2, variant, start + i * DAY, start + i * DAY,
                           start + (i + 1) * DAY, rate, Decimal(str(o[1])) if o else None,
                           o[2] if o else None,
                           None if not o or o[2] else "variant not live over the analysed window"))
    wanted["Per-Block Outcomes"] = blocks
    for title, panel in found.items():
        columns, rows = run_panel(warehouse, panel, RANGE, [])
        check_format(panel, columns, rows)
        assert_rows(title, rows, wanted[title])
