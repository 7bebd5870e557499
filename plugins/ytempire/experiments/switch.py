"""Putting each experiment's variant live, exactly once, and recording when it took effect.

Per experiment (running, paused for quota, or concluded and not yet settled), each run:

1. reads the live video (1 unit); YouTube's answer time is "now";
2. repairs a switch an earlier run journalled but did not resolve (it was killed, or lost
   the answer): a title is looked up on the live video: there, the switch took effect
   when it was requested (the read just before the write) and its exposure is recorded;
   not there, it never happened. A thumbnail cannot be recognised on YouTube (it
   re-encodes uploads), so it is set again and takes effect at that answer;
3. finds the variant due now: the block's, the original after the last block, the winner
   (or the original) once concluded;
4. if another variant is live, journals the switch (committed before the call), makes
   it (`videos.update` with the whole live snippet, or `thumbnails.set`), then in one
   transaction resolves the journal, ends the open exposure and opens the new one at
   YouTube's answer time, and books the units.

No two switches of an experiment are open at once (a unique index), and nothing is
written to the warehouse while a call is under way. Without budget (`budget`) or on
YouTube's `quotaExceeded` the experiment is paused (`paused_for = 'quota'`), nothing is
half-written, and later runs resume it once units are back; blocks whose variant was not
live in time are left out of the analysis. A title changed outside the experiment pauses
it for an operator.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from ytempire.experiments import budget as budgets
from ytempire.experiments import video_api
from ytempire.experiments.registry import Experiment, experiments, one_row, run_sql, variants
from ytempire.youtube.client import YouTubeClient, YouTubeError
from ytempire.youtube.runner import QUOTA_REASONS

log = logging.getLogger(__name__)


@dataclass
class SwitchOutcome:
    experiment_id: int
    actions: list[str] = field(default_factory=list)
    error: YouTubeError | None = None  # retryable: the task fails and Airflow retries


@dataclass(frozen=True)
class Target:
    variant: int
    purpose: str  # 'block' | 'hold' | 'winner'
    block_index: int | None = None


class QuotaExhausted(Exception):
    pass


def due(conn: psycopg.Connection, e: Experiment, now: datetime) -> Target | None:
    """The variant that should be live now (None before the first block)."""
    params = {"experiment_id": e.experiment_id}
    if e.status == "concluded":
        return Target(one_row(conn, "final_variant", params)[0], "winner")
    starts_at, ends_at = e.window
    if now < starts_at:
        return None
    if now >= ends_at:
        return Target(0, "hold")
    block = one_row(conn, "block_at", params | {"at": now})
    return Target(block[1], "block", block[0])


def switch_all(conn: psycopg.Connection, run_id: str) -> list[SwitchOutcome]:
    """One run's switching. Autocommit: no transaction spans a call to YouTube."""
    conn.autocommit = True
    return Switcher(conn, run_id).run()


class Switcher:
    """One run's switching: budgets per project, the quota stop, the outcomes."""

    def __init__(self, conn: psycopg.Connection, run_id: str):
        self.conn, self.run_id = conn, run_id
        self.budgets: dict[str, budgets.Budget] = {}
        self.quota_stopped = False

    def run(self) -> list[SwitchOutcome]:
        out = []
        for e in experiments(self.conn, "running", "paused", "concluded"):
            if (e.status == "paused" and e.paused_for != "quota") or (
                    e.status == "concluded" and e.settled_at is not None):
                continue
            outcome = SwitchOutcome(e.experiment_id)
            try:
                self.one(e, video_api.experiment_client(e), outcome)
            except QuotaExhausted as stop:
                self.pause(e, "quota", str(stop), outcome)
            except YouTubeError as err:
                if err.retryable:
                    outcome.error = err
                else:
                    self.pause(e, "operator", str(err), outcome)
            out.append(outcome)
        return out

    def budget(self, client: YouTubeClient, at: datetime) -> budgets.Budget:
        project = client.project
        if project not in self.budgets:
            self.budgets[project] = budgets.budget(self.conn, project, at)
        return self.budgets[project]

    def pause(self, e: Experiment, why: str, reason: str, outcome: SwitchOutcome) -> None:
        with self.conn.transaction():
            run_sql(self.conn, "pause", {"experiment_id": e.experiment_id, "paused_for": why,
                                         "reason": reason})
        log.warning("experiment %s paused (%s): %s", e.experiment_id, why, reason)
        outcome.actions.append(f"paused ({why}): {reason}")

    def one(self, e: Experiment, client: YouTubeClient, outcome: SwitchOutcome) -> None:
        if self.quota_stopped:
            raise QuotaExhausted("YouTube answered quotaExceeded earlier in this run")
        live = video_api.read_video(client, e.video_id)
        found = self.budget(client, live.at)
        with self.conn.transaction():
            budgets.spend(self.conn, found, video_api.READ_UNITS, "read", e.experiment_id,
                          self.run_id, live.at)
        if live.snippet is None:
            return self.pause(e, "operator", f"YouTube no longer returns video {e.video_id}",
                              outcome)
        known = variants(self.conn, e.experiment_id)
        self.repair(e, client, live, known, found, outcome)
        target = due(self.conn, e, live.at)
        if target is None:
            return
        current = run_sql(self.conn, "open_exposure",
                          {"experiment_id": e.experiment_id}).fetchone()
        live_variant = next((v for v, row in known.items() if row["title"] == live.title), None)
        if e.kind == "title" and (live_variant is None or (
                current is not None and live_variant != current[0])):
            return self.pause(e, "operator", f"the video's title was changed outside the "
                              f"experiment (live: {live.title!r})", outcome)
        if current is None and target.variant == 0 and live_variant in (0, None):
            # the original was live all along: its exposure starts with the first block
            self.record(e, target.variant, e.window[0], None, found, 0, outcome)
        elif current is not None and current[0] == target.variant:
            pass
        else:
            self.switch(e, client, live, known[target.variant], target, found, outcome)
        if e.status == "paused":
            with self.conn.transaction():
                run_sql(self.conn, "resume", {"experiment_id": e.experiment_id,
                                              "reason": f"resumed: {found.describe()}"})
            outcome.actions.append("resumed")
        if target.purpose == "winner":
            with self.conn.transaction():
                run_sql(self.conn, "settle", {"experiment_id": e.experiment_id, "at": live.at})
            outcome.actions.append(f"settled on variant {target.variant}")

    def repair(self, e: Experiment, client: YouTubeClient, live: video_api.LiveVideo,
               known: dict, found: budgets.Budget, outcome: SwitchOutcome) -> None:
        row = run_sql(self.conn, "open_switch", {"experiment_id": e.experiment_id}).fetchone()
        if row is None:
            return
        switch_id, variant, _, requested_at, run_id = row
        if e.kind == "title":
            if live.title == known[variant]["title"]:
                self.record(e, variant, requested_at, (switch_id, "found live on repair"),
                            found, video_api.WRITE_UNITS, outcome, run_id)
            else:
                with self.conn.transaction():
                    self.resolve(switch_id, "not_applied", live.at,
                                 f"not live on repair (live title {live.title!r})")
                outcome.actions.append(f"switch {switch_id} had not taken effect")
            return
        if not found.can_switch():
            raise QuotaExhausted(f"no budget to repair switch {switch_id}: {found.describe()}")
        at = self.write(e, client, live, known[variant], switch_id)
        self.record(e, variant, at, (switch_id, "thumbnail set again on repair"), found,
                    video_api.WRITE_UNITS, outcome, run_id)

    def switch(self, e: Experiment, client: YouTubeClient, live: video_api.LiveVideo,
               variant: dict, target: Target, found: budgets.Budget,
               outcome: SwitchOutcome) -> None:
        if not found.can_switch():
            raise QuotaExhausted(f"switch budget spent: {found.describe()}")
        with self.conn.transaction():
            switch_id = one_row(self.conn, "intend_switch", {
                "experiment_id": e.experiment_id, "variant": variant["variant"],
                "purpose": target.purpose, "block_index": target.block_index,
                "requested_at": live.at, "run_id": self.run_id})[0]
        at = self.write(e, client, live, variant, switch_id)
        self.record(e, variant["variant"], at, (switch_id, None), found, video_api.WRITE_UNITS,
                    outcome)

    def write(self, e: Experiment, client: YouTubeClient, live: video_api.LiveVideo,
              variant: dict, switch_id: int) -> datetime:
        """The API call; a definite refusal resolves the journal as not applied, anything
        else (connection lost, server error) leaves it for the next run's repair."""
        try:
            if e.kind == "title":
                return video_api.write_title(client, e.video_id, live, variant["title"])
            return video_api.set_thumbnail(client, e.video_id, bytes(variant["thumbnail_image"]),
                                           variant["thumbnail_type"])
        except YouTubeError as err:
            if err.retryable:
                raise
            with self.conn.transaction():
                self.resolve(switch_id, "not_applied", live.at, str(err))
            if err.reason in QUOTA_REASONS:
                self.quota_stopped = True
                raise QuotaExhausted(f"YouTube answered {err.reason}") from err
            raise

    def resolve(self, switch_id: int, state: str, at: datetime, note: str | None) -> None:
        run_sql(self.conn, "resolve_switch", {"switch_id": switch_id, "state": state,
                                              "at": at, "note": note})

    def record(self, e: Experiment, variant: int, started_at: datetime,
               switch: tuple[int, str | None] | None, found: budgets.Budget, units: int,
               outcome: SwitchOutcome, run_id: str | None = None) -> None:
        """The switch resolved as applied, the exposure from `started_at`, the units: in
        one transaction, so a run killed now leaves the journal for the repair."""
        params = {"experiment_id": e.experiment_id, "variant": variant,
                  "started_at": started_at, "run_id": run_id or self.run_id,
                  "switch_id": switch[0] if switch else None}
        with self.conn.transaction():
            if switch:
                self.resolve(switch[0], "applied", started_at, switch[1])
            run_sql(self.conn, "close_exposure", params)
            run_sql(self.conn, "insert_exposure", params)
            if units:
                budgets.spend(self.conn, found, units, "switch", e.experiment_id, self.run_id,
                              started_at)
        outcome.actions.append(f"variant {variant} live from {started_at.isoformat()}")
