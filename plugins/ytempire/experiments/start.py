"""Pending experiments: validated, designed and started, or refused with the reason.

Refused: a design that cannot work (`design.plan_errors`), anything but exactly one
challenger (variant 1: a title, or a thumbnail the framework can fetch), a video that is
unknown, unavailable or already under test, too little pre-period data, and an
under-powered design (with the days it would need). Started: variant 0 is filled in from
the live video (its title; for thumbnails, the image itself, so the original can be put
back), the blocks are drawn from the experiment's seed (drawn and stored when it has
none) and scheduled from the first block boundary at or after `starts_at` (or the run).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import psycopg

from ytempire.experiments import design, stats, video_api
from ytempire.experiments.registry import Experiment, experiments, run_sql, variants
from ytempire.settings import YOUTUBE_ZONE
from ytempire.youtube.client import YouTubeClient, YouTubeError

log = logging.getLogger(__name__)

PRE_PERIOD_DAYS = 28
REACH_LAG_DAYS = 3  # the newest reach day a run can count on


@dataclass(frozen=True)
class StartOutcome:
    experiment_id: int
    status: str  # 'running' | 'refused' | 'pending' (a YouTube error: tried again)
    reason: str | None = None


class Refused(Exception):
    """The experiment cannot start; the message says why."""


def start_pending(conn: psycopg.Connection, logical_time: datetime,
                  run_id: str) -> list[StartOutcome]:
    """Each pending experiment, oldest first. Autocommit: no transaction spans a call to
    YouTube."""
    conn.autocommit = True
    out = []
    for e in experiments(conn, "pending"):
        try:
            start = _check_and_design(conn, e, logical_time)
            variant_rows = _variants_from_video(conn, e, video_api.experiment_client(e))
        except YouTubeError as err:  # stays pending: the next run tries again
            log.error("experiment %s not started: %s", e.experiment_id, err)
            out.append(StartOutcome(e.experiment_id, "pending", str(err)))
            continue
        except Refused as refusal:
            with conn.transaction():
                run_sql(conn, "refuse", {"experiment_id": e.experiment_id,
                                         "reason": str(refusal), "at": logical_time})
            log.warning("experiment %s refused: %s", e.experiment_id, refusal)
            out.append(StartOutcome(e.experiment_id, "refused", str(refusal)))
            continue
        with conn.transaction():
            for row in variant_rows:
                run_sql(conn, "save_variant", row)
            for block in start["blocks"]:
                run_sql(conn, "insert_block", {
                    "experiment_id": e.experiment_id, "block_index": block.index,
                    "pair_index": block.pair, "variant": block.variant,
                    "starts_at": block.starts_at, "ends_at": block.ends_at,
                    "analysed_from": block.analysed_from})
            run_sql(conn, "start", {k: v for k, v in start.items() if k != "blocks"})
        log.info("experiment %s running: %d blocks from %s, power %.2f", e.experiment_id,
                 e.blocks, start["starts_at"], start["predicted_power"])
        out.append(StartOutcome(e.experiment_id, "running"))
    return out


def _check_and_design(conn: psycopg.Connection, e: Experiment, logical_time: datetime) -> dict:
    errors = design.plan_errors(e.plan)
    known = variants(conn, e.experiment_id)
    challengers = sorted(v for v in known if v != 0)
    field = "title" if e.kind == "title" else "thumbnail_url"
    if challengers != [1]:
        errors.append(f"one challenger per experiment: variant 1 only (found {challengers})")
    elif not known[1][field]:
        errors.append(f"variant 1 of a {e.kind} experiment needs its {field}")
    if e.channel_id is None or not e.video_available:
        errors.append(f"video {e.video_id} is not an available video in dim_video")
    if errors:
        raise Refused("; ".join(errors))
    other = run_sql(conn, "live_experiment_of_video", {
        "video_id": e.video_id, "experiment_id": e.experiment_id}).fetchone()
    if other:
        raise Refused(f"video {e.video_id} is already under test in experiment {other[0]}")
    num, den = pre_period(conn, e, logical_time)
    assessment = design.assess(e.plan, num, den)
    refusal = assessment.refusal(e.plan)
    if refusal:
        raise Refused(refusal)
    seed = e.seed if e.seed is not None else secrets.randbelow(2 ** 31)
    starts = design.first_start(e.plan, max(e.starts_at or logical_time, logical_time))
    blocks = design.schedule(e.plan, starts, stats.assignment(e.plan.pairs, seed))
    return {"experiment_id": e.experiment_id, "seed": seed, "starts_at": starts,
            "ends_at": blocks[-1].ends_at, "at": logical_time, "blocks": blocks,
            "predicted_power": assessment.power, "pair_sd": assessment.pair_sd,
            "reason": f"power {assessment.power:.0%} for {e.min_detectable_effect:+.0%}"}


def pre_period(conn: psycopg.Connection, e: Experiment,
               logical_time: datetime) -> tuple[np.ndarray, np.ndarray]:
    """The video's recent counts per unit (module `design`), refused when too few."""
    if e.metric == "ctr":
        last = logical_time.astimezone(YOUTUBE_ZONE).date() - timedelta(days=REACH_LAG_DAYS)
        rows = run_sql(conn, "pre_period_reach", {
            "video_id": e.video_id, "last_day": last,
            "first_day": last - timedelta(days=PRE_PERIOD_DAYS - 1)}).fetchall()
    else:
        end = logical_time.replace(minute=0, second=0, microsecond=0)
        rows = [(views, 1.0) for (views,) in run_sql(conn, "pre_period_views", {
            "video_id": e.video_id, "end_hour": end,
            "first_hour": end - timedelta(days=PRE_PERIOD_DAYS)}).fetchall()]
    num = np.array([r[-2] for r in rows], dtype=float)
    den = np.array([r[-1] for r in rows], dtype=float)
    with_data = int(np.count_nonzero(den * (num > 0)))
    need = design.MIN_PRE_UNITS[e.metric]
    if with_data < need:
        unit = "days of reach data" if e.metric == "ctr" else "hours of view counts"
        raise Refused(f"too little pre-period data to compute power: {with_data} {unit} in "
                      f"the last {PRE_PERIOD_DAYS} days, {need} needed")
    return num, den


def _variants_from_video(conn: psycopg.Connection, e: Experiment,
                         client: YouTubeClient) -> list[dict[str, Any]]:
    """Variant 0 from the live video, and the challenger's image for thumbnails."""
    try:
        live = video_api.read_video(client, e.video_id)
        if live.snippet is None:
            raise Refused(f"YouTube does not return video {e.video_id}")
        rows = [{"experiment_id": e.experiment_id, "variant": 0, "title": live.title,
                 "thumbnail_url": live.thumbnail_url, "thumbnail_image": None,
                 "thumbnail_type": None}]
        if e.kind == "thumbnail":
            channel_id = str(e.channel_id)  # known: checked before
            rows[0]["thumbnail_image"], rows[0]["thumbnail_type"] = video_api.fetch_image(
                live.thumbnail_url, channel_id)
            challenger = variants(conn, e.experiment_id)[1]
            image, mime = video_api.fetch_image(challenger["thumbnail_url"], channel_id)
            rows.append(challenger | {"experiment_id": e.experiment_id,
                                      "thumbnail_image": image, "thumbnail_type": mime})
        return rows
    except YouTubeError as err:
        if err.reason == "bad_thumbnail":
            raise Refused(f"thumbnail cannot be used: {err}") from err
        raise
