"""One forecast step for a batch of channels, in one transaction: read their final days,
back-test the series whose back-test is due, let the back-test in force choose each
series' model (analytics.forecast_backtest_summary), forecast 30 days, widen each 95 %
band to at least the chosen model's conformal half-width from that back-test, write both.

A back-test is due for a series with enough final days (`models.backtest_days`) when it
has none, when a week of final days has arrived since the one in force, or on demand
(`force_backtest`). A series too short for a back-test has no evidence that a candidate
beats seasonal naive, so it is forecast by seasonal naive.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from ytempire import settings
from ytempire.forecasts import models, series, write
from ytempire.settings import YOUTUBE_TZ

log = logging.getLogger(__name__)

YOUTUBE_ZONE = ZoneInfo(YOUTUBE_TZ)


@dataclass
class ChannelForecast:
    channel_id: str
    status: str  # "forecast" | "skipped"
    reason: str | None = None
    trained_through: date | None = None
    models: dict[str, str] = field(default_factory=dict)  # metric -> model
    backtested: bool = False
    gap_days: int = 0
    note: str | None = None  # why seasonal naive, where no back-test could choose

    def as_dict(self) -> dict:
        out = asdict(self)
        out["trained_through"] = self.trained_through and self.trained_through.isoformat()
        return out


def trained_through_limit(logical_time: datetime) -> date:
    """The newest day a run may train on: the Pacific day before its logical time's (a
    re-run or backfill of an old run sees what that run could have seen)."""
    return logical_time.astimezone(YOUTUBE_ZONE).date() - timedelta(days=1)


def forecast_channels(conn: psycopg.Connection, channel_ids: list[str], through: date,
                      run_id: str | None, *, force_backtest: bool = False,
                      n_jobs: int = 1) -> list[ChannelForecast]:
    """Forecast the channels from their final days up to `through` (one transaction)."""
    min_days = settings.FORECAST_MIN_DAYS
    with conn.transaction():
        prepared = series.prepare(
            channel_ids,
            series.final_days(conn, channel_ids, through, settings.FORECAST_HISTORY_DAYS),
            min_days)
        frame = prepared.series
        in_force = write.backtests_in_force(conn, channel_ids, through)
        due = _backtest_due(prepared, in_force, min_days, force_backtest)
        if due:
            rows = models.backtest(frame[frame["unique_id"].isin(due)], n_jobs)
            rows["backtest_through"] = rows["unique_id"].map(
                lambda uid: prepared.trained_through[series.split_id(uid)[0]])
            write.write_backtest(conn, rows, run_id)
            in_force = write.backtests_in_force(conn, channel_ids, through)
        chosen = {uid: in_force.get(series.split_id(uid)) for uid in frame["unique_id"].unique()}
        model_of = {uid: c.model if c else models.SEASONAL_NAIVE for uid, c in chosen.items()}
        half_width = {uid: c.conformal_95 for uid, c in chosen.items()
                      if c and c.conformal_95 is not None}
        rows = models.widened_95(models.forecast(frame, model_of, n_jobs), half_width)
        write.write_forecasts(conn, rows, run_id)
    return _outcomes(channel_ids, prepared, model_of, set(due), in_force)


def _backtest_due(prepared: series.Prepared, in_force: dict[tuple[str, str], write.InForce],
                  min_days: int, force: bool) -> list[str]:
    lengths = prepared.series.groupby("unique_id").size()
    due = []
    for uid, length in lengths.items():
        if length < models.backtest_days(min_days):
            continue
        channel_id, metric = series.split_id(uid)
        current = in_force.get((channel_id, metric))
        newest = prepared.trained_through[channel_id]
        week_ago = newest - timedelta(days=models.BACKTEST_STEP)
        if force or current is None or current.backtest_through <= week_ago:
            due.append(uid)
    return due


def _outcomes(channel_ids: list[str], prepared: series.Prepared, model_of: dict[str, str],
              backtested: set[str], in_force: dict) -> list[ChannelForecast]:
    out = []
    needed = models.backtest_days(settings.FORECAST_MIN_DAYS)
    for channel_id in channel_ids:
        reason = prepared.skipped.get(channel_id)
        if reason is not None:
            log.info("channel %s not forecast: %s", channel_id, reason)
            out.append(ChannelForecast(channel_id, "skipped", reason))
            continue
        ids = {metric: series.series_id(channel_id, metric) for metric in series.METRICS}
        outcome = ChannelForecast(
            channel_id, "forecast", trained_through=prepared.trained_through[channel_id],
            models={metric: model_of[uid] for metric, uid in ids.items()},
            backtested=any(uid in backtested for uid in ids.values()),
            gap_days=prepared.gap_days.get(channel_id, 0))
        if not any((channel_id, metric) in in_force for metric in ids):
            days = prepared.days[channel_id]
            outcome.note = (f"seasonal naive: {days} final day(s), a back-test (and with it a "
                            f"model that beats seasonal naive) needs {needed}")
        log.info("channel %s: %s", channel_id, outcome.as_dict())
        out.append(outcome)
    return out


def summarise(outcomes: list[dict]) -> dict:
    """A run's totals from its channels' outcomes (`ChannelForecast.as_dict`); each channel
    not forecast, or forecast by seasonal naive for want of a back-test, logged with why."""
    skipped = {o["channel_id"]: o["reason"] for o in outcomes if o["status"] == "skipped"}
    notes = {o["channel_id"]: o["note"] for o in outcomes if o.get("note")}
    totals = {
        "channels": len(outcomes),
        "forecast": len(outcomes) - len(skipped),
        "backtested": sum(o["backtested"] for o in outcomes),
        "without_backtest": notes,
        "skipped": skipped,
    }
    log.info("%(forecast)d of %(channels)d channel(s) forecast, %(backtested)d back-tested",
             totals)
    for channel_id, reason in skipped.items():
        log.info("not forecast: %s (%s)", channel_id, reason)
    for channel_id, note in notes.items():
        log.info("no back-test yet: %s (%s)", channel_id, note)
    return totals
