"""Alerting settings, from the environment with defaults (safe at DAG parse time)."""

from __future__ import annotations

import os
from datetime import timedelta


def _positive_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as err:
        raise ValueError(f"{name} must be a number, got {raw!r}") from err
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0, got {raw!r}")
    return value


# An unchanged alerting condition is re-sent (as a reminder) only after this long.
QUIET_PERIOD = timedelta(hours=_positive_float("YTEMPIRE_ALERT_QUIET_HOURS", 6))
# Rows listed in one alert; the message always states the total.
MAX_ALERT_ROWS = int(_positive_float("YTEMPIRE_ALERT_MAX_ROWS", 20))
