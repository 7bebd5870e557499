"""Environment settings: one typed object, read once with defaults (safe at DAG parse time).

Every setting is `YTEMPIRE_<NAME>` except `WAREHOUSE_TZ`; an empty value means the
default. The module-level names below are the values the code reads.
"""

from datetime import timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from pydantic import Field, PositiveFloat, PositiveInt, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

YOUTUBE_TZ = "America/Los_Angeles"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YTEMPIRE_", env_ignore_empty=True)

    warehouse_tz: str = Field(YOUTUBE_TZ, validation_alias="WAREHOUSE_TZ")
    # Where include/sql is; by default the `sql` data of the ytempire package.
    sql_dir: Path | None = None

    # The one retry setting: tests set YTEMPIRE_TASK_RETRIES=0 and a zero delay.
    task_retries: int = Field(2, ge=0)
    task_retry_delay_seconds: float = Field(60, ge=0)
    task_max_retry_delay_minutes: int = Field(30, ge=0)
    client_retries: int = Field(5, ge=0)

    snapshot_retention_days: PositiveInt = 35
    compress_after_days: PositiveInt = 60
    partition_months_ahead: int = Field(3, ge=0)
    # The longest window a daily load re-writes (the month-end re-pull reaches ~45 days).
    reload_window_days: PositiveInt = 45
    # How long a schema deploy waits for another one to finish before it gives up.
    deploy_lock_wait_seconds: PositiveFloat = 600

    # Every warehouse session (ytempire.warehouse.connect): a statement waiting for a
    # lock gives up after lock_timeout_seconds (the task fails and Airflow retries it);
    # a statement runs at most statement_timeout_seconds unless its step has a budget of
    # its own (the schema deploy: deploy_statement_timeout_seconds); a transaction left
    # idle (a stuck or killed task) is ended after idle_in_transaction_timeout_seconds.
    lock_timeout_seconds: PositiveFloat = 60
    statement_timeout_seconds: PositiveFloat = 900
    idle_in_transaction_timeout_seconds: PositiveFloat = 120
    deploy_statement_timeout_seconds: PositiveFloat = 3600
    # DDL that takes an exclusive lock on a table readers and loads use (a migration, a
    # new fact partition) waits at most this long: every later query queues behind it.
    ddl_lock_timeout_seconds: PositiveFloat = 10
    # TCP keepalives, both ends: a peer that vanished (a killed task's host, the server)
    # is found within idle + interval * count seconds; the server also checks its client
    # every keepalive_interval_seconds while a statement runs.
    keepalive_idle_seconds: PositiveInt = 30
    keepalive_interval_seconds: PositiveInt = 10
    keepalive_count: PositiveInt = 3

    # youtube_video_stats_hourly: the uploads + metadata sync runs when a channel's
    # last one is this many hours old; channels per mapped collector task, and how
    # many of those tasks run at once.
    metadata_sync_hours: PositiveInt = 6
    channels_per_task: PositiveInt = 20
    collector_parallelism: PositiveInt = 4
    # youtube_revenue_attribution: channels per mapped load task, and tasks at once.
    revenue_channels_per_task: PositiveInt = 5
    revenue_parallel_tasks: PositiveInt = 4

    # youtube_experiments: title/thumbnail switches a day per Google Cloud project (50
    # units each), within the project's daily Data API units less what the other DAGs
    # need; a block counts when its variant was live at most this long after its
    # analysed window opened.
    experiment_switches_per_day: int = Field(200, ge=0)
    youtube_daily_quota_units: PositiveInt = 10_000
    experiment_switch_grace_minutes: int = Field(15, ge=0)
    # analytics_forecasts: final days a channel needs to be forecast (and each back-test
    # origin to train on), the newest final days a model trains on, channels per mapped
    # forecast task and how many of those tasks run at once.
    forecast_min_days: int = Field(28, ge=14)
    forecast_history_days: int = Field(365, ge=84)
    forecast_channels_per_task: PositiveInt = 100
    forecast_parallel_tasks: PositiveInt = 2

    # An unchanged alerting condition is re-sent (as a reminder) only after this long.
    alert_quiet_hours: PositiveFloat = 6
    # Rows listed in one alert; the message always states the total.
    alert_max_rows: PositiveInt = 20
    # host:port/database of the warehouse as Airflow's assets and lineage name it
    # (postgres://<this>/analytics/<table>); read at parse time, never from a connection.
    warehouse_location: str = Field("warehouse:5432/ytempire", pattern=r"^[^/:@\s]+:\d+/[^/\s]+$")

    # Where every Slack alert's runbook link points: <base>/<runbook>.md. By default the
    # repository path; set the URL of docs/runbooks in the repository browser.
    runbook_base_url: str = "docs/runbooks"

    @field_validator("warehouse_tz")
    @classmethod
    def _iana_zone(cls, name: str) -> str:
        if name not in available_timezones():
            raise ValueError(f"WAREHOUSE_TZ={name!r} is not an IANA time zone name")
        return name


SETTINGS = Settings()

REPO_ROOT = Path(__file__).resolve().parents[2]  # the source tree (development tools only)
SQL_DIR = SETTINGS.sql_dir or Path(str(resources.files("ytempire") / "sql"))

WAREHOUSE_CONN_ID = "ytempire_warehouse"
# The owner role, for the schema deploy only (ytempire.warehouse.connect_owner).
WAREHOUSE_OWNER_CONN_ID = "ytempire_warehouse_owner"
YOUTUBE_CONN_ID = "youtube_default"
SLACK_CONN_ID = "slack_alerts"

WAREHOUSE_TZ = SETTINGS.warehouse_tz
WAREHOUSE_ZONE = ZoneInfo(WAREHOUSE_TZ)
YOUTUBE_ZONE = ZoneInfo(YOUTUBE_TZ)  # YouTube's days and Data API quota days

TASK_RETRIES = SETTINGS.task_retries
TASK_RETRY_DELAY = timedelta(seconds=SETTINGS.task_retry_delay_seconds)
TASK_MAX_RETRY_DELAY = timedelta(minutes=SETTINGS.task_max_retry_delay_minutes)
CLIENT_RETRIES = SETTINGS.client_retries

SNAPSHOT_RETENTION_DAYS = SETTINGS.snapshot_retention_days
COMPRESS_AFTER_DAYS = SETTINGS.compress_after_days
PARTITION_MONTHS_AHEAD = SETTINGS.partition_months_ahead
RELOAD_WINDOW_DAYS = SETTINGS.reload_window_days
DEPLOY_LOCK_WAIT_SECONDS = SETTINGS.deploy_lock_wait_seconds
LOCK_TIMEOUT = timedelta(seconds=SETTINGS.lock_timeout_seconds)
STATEMENT_TIMEOUT = timedelta(seconds=SETTINGS.statement_timeout_seconds)
IDLE_IN_TRANSACTION_TIMEOUT = timedelta(seconds=SETTINGS.idle_in_transaction_timeout_seconds)
DEPLOY_STATEMENT_TIMEOUT = timedelta(seconds=SETTINGS.deploy_statement_timeout_seconds)
DDL_LOCK_TIMEOUT = timedelta(seconds=SETTINGS.ddl_lock_timeout_seconds)
KEEPALIVE_IDLE_SECONDS = SETTINGS.keepalive_idle_seconds
KEEPALIVE_INTERVAL_SECONDS = SETTINGS.keepalive_interval_seconds
KEEPALIVE_COUNT = SETTINGS.keepalive_count

METADATA_SYNC_HOURS = SETTINGS.metadata_sync_hours
CHANNELS_PER_TASK = SETTINGS.channels_per_task
COLLECTOR_PARALLELISM = SETTINGS.collector_parallelism
REVENUE_CHANNELS_PER_TASK = SETTINGS.revenue_channels_per_task
REVENUE_PARALLEL_TASKS = SETTINGS.revenue_parallel_tasks

EXPERIMENT_SWITCHES_PER_DAY = SETTINGS.experiment_switches_per_day
YOUTUBE_DAILY_QUOTA_UNITS = SETTINGS.youtube_daily_quota_units
EXPERIMENT_SWITCH_GRACE = timedelta(minutes=SETTINGS.experiment_switch_grace_minutes)
FORECAST_MIN_DAYS = SETTINGS.forecast_min_days
FORECAST_HISTORY_DAYS = SETTINGS.forecast_history_days
FORECAST_CHANNELS_PER_TASK = SETTINGS.forecast_channels_per_task
FORECAST_PARALLEL_TASKS = SETTINGS.forecast_parallel_tasks

ALERT_QUIET_PERIOD = timedelta(hours=SETTINGS.alert_quiet_hours)
ALERT_MAX_ROWS = SETTINGS.alert_max_rows
RUNBOOK_BASE_URL = SETTINGS.runbook_base_url
WAREHOUSE_LOCATION = SETTINGS.warehouse_location
