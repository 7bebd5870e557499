"""Environment settings, read with defaults (safe at DAG parse time)."""

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = Path(os.environ.get("YTEMPIRE_SQL_DIR", REPO_ROOT / "include" / "sql"))

WAREHOUSE_CONN_ID = "ytempire_warehouse"
YOUTUBE_CONN_ID = "youtube_default"
SLACK_CONN_ID = "slack_alerts"

YOUTUBE_TZ = "America/Los_Angeles"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as err:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from err


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw in (None, "") else float(raw)


def _warehouse_tz() -> str:
    name = os.environ.get("WAREHOUSE_TZ", YOUTUBE_TZ)
    if name not in available_timezones():
        raise ValueError(f"WAREHOUSE_TZ={name!r} is not an IANA time zone name")
    return name


WAREHOUSE_TZ = _warehouse_tz()
WAREHOUSE_ZONE = ZoneInfo(WAREHOUSE_TZ)

# The one retry setting: tests set YTEMPIRE_TASK_RETRIES=0 and a zero delay.
TASK_RETRIES = _env_int("YTEMPIRE_TASK_RETRIES", 2)
TASK_RETRY_DELAY = timedelta(seconds=_env_float("YTEMPIRE_TASK_RETRY_DELAY_SECONDS", 60))
TASK_MAX_RETRY_DELAY = timedelta(minutes=_env_int("YTEMPIRE_TASK_MAX_RETRY_DELAY_MINUTES", 30))
CLIENT_RETRIES = _env_int("YTEMPIRE_CLIENT_RETRIES", 5)

SNAPSHOT_RETENTION_DAYS = _env_int("YTEMPIRE_SNAPSHOT_RETENTION_DAYS", 35)
COMPRESS_AFTER_DAYS = _env_int("YTEMPIRE_COMPRESS_AFTER_DAYS", 60)
PARTITION_MONTHS_AHEAD = _env_int("YTEMPIRE_PARTITION_MONTHS_AHEAD", 3)
# The longest window a daily load re-writes (the month-end re-pull reaches ~45 days).
RELOAD_WINDOW_DAYS = _env_int("YTEMPIRE_RELOAD_WINDOW_DAYS", 45)

# youtube_video_stats_hourly: the uploads + metadata sync runs when a channel's
# last one is this many hours old; channels per mapped collector task, and how
# many of those tasks run at once.
METADATA_SYNC_HOURS = _env_int("YTEMPIRE_METADATA_SYNC_HOURS", 6)
CHANNELS_PER_TASK = _env_int("YTEMPIRE_CHANNELS_PER_TASK", 20)
COLLECTOR_PARALLELISM = _env_int("YTEMPIRE_COLLECTOR_PARALLELISM", 4)
# youtube_revenue_attribution: channels per mapped load task, and tasks at once.
REVENUE_CHANNELS_PER_TASK = _env_int("YTEMPIRE_REVENUE_CHANNELS_PER_TASK", 5)
REVENUE_PARALLEL_TASKS = _env_int("YTEMPIRE_REVENUE_PARALLEL_TASKS", 4)
