"""The series the models learn from: each channel's final days (YouTube's reported
channel totals, never the provisional days after them), one series per channel and
metric, checked for length and with gap days filled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import psycopg

from ytempire.warehouse import sql_file

METRICS = ("views", "revenue_cents")


def series_id(channel_id: str, metric: str) -> str:
    return f"{metric}:{channel_id}"


def split_id(unique_id: str) -> tuple[str, str]:
    """(channel_id, metric) of a series id."""
    metric, channel_id = unique_id.split(":", 1)
    return channel_id, metric


@dataclass
class Prepared:
    """The series of the channels that can be forecast, and why the others cannot."""

    series: pd.DataFrame  # unique_id, ds, y, observed
    trained_through: dict[str, date] = field(default_factory=dict)  # by channel
    days: dict[str, int] = field(default_factory=dict)  # by channel: its series' length
    gap_days: dict[str, int] = field(default_factory=dict)  # by channel, where any
    skipped: dict[str, str] = field(default_factory=dict)  # channel -> reason


def final_days(conn: psycopg.Connection, channel_ids: list[str], through: date,
               history_days: int) -> pd.DataFrame:
    """channel_id, day, views, revenue_cents: the channels' final days up to `through`."""
    cursor = conn.execute(sql_file("forecasts/final_days.sql"), {
        "channel_ids": channel_ids, "through": through, "history_days": history_days})
    return pd.DataFrame(cursor.fetchall(), columns=[d.name for d in cursor.description or ()])


def prepare(channel_ids: list[str], days: pd.DataFrame, min_days: int) -> Prepared:
    """One series per channel with at least `min_days` final days and metric, every day
    from its first to its newest final day; a day YouTube did not report in between (not
    loaded, or a day without activity) takes the value of the same weekday a week
    before (the week after within the first week) and is marked not observed."""
    prepared = Prepared(pd.DataFrame(columns=["unique_id", "ds", "y", "observed"]))
    by_channel = dict(tuple(days.groupby("channel_id"))) if len(days) else {}
    parts = []
    for channel_id in channel_ids:
        rows = by_channel.get(channel_id)
        if rows is None:
            prepared.skipped[channel_id] = "YouTube has reported no day of it yet"
            continue
        if len(rows) < min_days:
            prepared.skipped[channel_id] = (
                f"{len(rows)} final day(s), a forecast needs {min_days}")
            continue
        frame = rows.assign(ds=pd.to_datetime(rows["day"])).set_index("ds")
        full = pd.date_range(frame.index.min(), frame.index.max(), freq="D", name="ds")
        frame = frame.reindex(full)
        observed = frame["views"].notna()
        if not observed.all():
            prepared.gap_days[channel_id] = int((~observed).sum())
        prepared.trained_through[channel_id] = full.max().date()
        prepared.days[channel_id] = len(full)
        for metric in METRICS:
            values = _fill_weekly(frame[metric].astype(float))
            parts.append(pd.DataFrame({"unique_id": series_id(channel_id, metric),
                                       "ds": full, "y": values.to_numpy(),
                                       "observed": observed.to_numpy()}))
    if parts:
        prepared.series = pd.concat(parts, ignore_index=True)
    return prepared


def _fill_weekly(values: pd.Series) -> pd.Series:
    """Missing days from the same weekday a week before, else a week after; a weekday
    never reported at all by linear interpolation."""
    filled = values.copy()
    while filled.isna().any():
        before = filled.isna().sum()
        filled = filled.fillna(filled.shift(7))
        if filled.isna().sum() == before:
            filled = filled.fillna(filled.shift(-7))
        if filled.isna().sum() == before:
            return filled.interpolate()
    return filled
