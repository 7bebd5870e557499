"""Per-block outcomes, the interim (always-valid) and final results, the conclusion.

A block counts ("clean") when its variant was live over its whole analysed window
(within the switch grace) and the window has data; a pair counts when both its blocks
do: the pair difference is variant 1's log rate minus variant 0's. Before the end, the
result row `final = false` holds an always-valid interval and p-value (safe to read
after every block: `stats.always_valid`) and never names a winner. After the last
block, once its data is in (CTR: the channel's reach reports through the last analysed
day, or WAIT_FOR_REACH after the end), the randomisation test gives the final effect,
interval and p-value; the winner is the better variant when p < alpha, else none (the
original stays). The experiment is then concluded; the switch step applies the
winner or the original.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from ytempire import settings
from ytempire.experiments import stats
from ytempire.experiments.design import block_outcome
from ytempire.experiments.registry import Experiment, experiments, one_row, run_sql
from ytempire.settings import YOUTUBE_ZONE
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

WAIT_FOR_REACH = timedelta(days=7)
WAIT_FOR_COUNTERS = timedelta(hours=3)


@dataclass(frozen=True)
class Analysis:
    experiment_id: int
    final: bool
    pairs: int
    result: stats.TestResult | stats.Interim | None
    winner: int | None


def block_data(conn: psycopg.Connection, e: Experiment) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql_file("experiments/block_data.sql"), {
            "experiment_id": e.experiment_id, "video_id": e.video_id, "metric": e.metric,
            "grace": settings.EXPERIMENT_SWITCH_GRACE}).fetchall()


def outcomes(rows: list[dict], metric: str) -> list[dict]:
    """Each block with its outcome (log rate) and whether it counts, and why not."""
    out = []
    for row in rows:
        found = block_outcome(row["numerator"], row["denominator"], metric == "ctr")
        note = (None if row["clean"] and found and row["units_with_data"] == row["units"]
                else "variant not live over the analysed window" if not row["clean"]
                else "no data" if not found else
                f"data for {row['units_with_data']} of {row['units']} units")
        out.append(row | {"outcome": found[0] if found else None, "note": note,
                          "counts": note is None})
    return out


def pair_differences(blocks: list[dict]) -> list[float]:
    pairs: dict[int, dict[int, float]] = {}
    for b in blocks:
        if b["counts"]:
            pairs.setdefault(b["pair_index"], {})[b["variant"]] = b["outcome"]
    return [p[1] - p[0] for _, p in sorted(pairs.items()) if len(p) == 2]


def data_complete(conn: psycopg.Connection, e: Experiment, now: datetime) -> bool:
    ends_at = e.window[1]
    if e.metric != "ctr":
        return now >= ends_at + WAIT_FOR_COUNTERS
    through = one_row(conn, "reach_loaded_through", {"channel_id": e.channel_id})[0]
    last_day = (ends_at.astimezone(YOUTUBE_ZONE) - timedelta(hours=1)).date()
    return (through is not None and through >= last_day) or now >= ends_at + WAIT_FOR_REACH


def analyse(conn: psycopg.Connection, e: Experiment, now: datetime) -> Analysis:
    blocks = outcomes(block_data(conn, e), e.metric)
    diffs = pair_differences(blocks)
    final = now >= e.window[1] and data_complete(conn, e, now)
    result: stats.TestResult | stats.Interim | None = None
    winner = None
    if final and diffs:
        result = test = stats.randomisation_test(diffs, e.alpha, seed=e.seed or 0)
        if test.p_value < e.alpha:
            winner = 1 if test.effect > 0 else 0
    elif diffs:
        result = stats.always_valid(diffs, e.pair_sd or 0.0, e.plan.pairs, e.alpha)
    with conn.transaction():
        for b in blocks:
            run_sql(conn, "save_block_outcome", {
                "experiment_id": e.experiment_id, "block_index": b["block_index"],
                "variant": b["variant"], "numerator": b["numerator"],
                "denominator": b["denominator"], "outcome": b["outcome"],
                "clean": b["counts"], "note": b["note"], "computed_at": now})
        if result is not None or final:
            run_sql(conn, "save_result", {
                "experiment_id": e.experiment_id, "final": final,
                "effect": _num(result, "effect"), "ci_low": _num(result, "ci_low"),
                "ci_high": _num(result, "ci_high"), "p_value": _num(result, "p_value"),
                "winner_variant": winner, "blocks_used": 2 * len(diffs),
                "method": ("randomisation test over the design's pair orders" if final else
                           "always-valid normal-mixture interval (interim)"),
                "computed_at": now, "run_id": None})
        if final:
            run_sql(conn, "conclude", {
                "experiment_id": e.experiment_id, "at": now,
                "reason": (f"winner: variant {winner}" if winner is not None else
                           "no winner: the original stays") + f"; {len(diffs)} pair(s) used"})
    return Analysis(e.experiment_id, final, len(diffs), result, winner)


def _num(result: stats.TestResult | stats.Interim | None, name: str) -> float | None:
    value = getattr(result, name, None) if result is not None else None
    return None if value is None or not math.isfinite(value) else value


def analyse_all(conn: psycopg.Connection, now: datetime) -> list[Analysis]:
    """Each started experiment, one transaction each."""
    conn.autocommit = True
    return [analyse(conn, e, now) for e in experiments(conn, "running", "paused")
            if e.starts_at is not None and now >= e.starts_at]
