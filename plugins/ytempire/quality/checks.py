"""The quality checks and their classes, as data (docs/design.md "Quality checks").

A check writes result rows (`check_key`, `status`, `details`) to
analytics.quality_check_results. A check class groups checks that alert together:
one Slack message per failing class per run, only for the class's alerting
statuses. The DAG builds one task per check and one alert task per class from
these tables; nothing else names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class CheckClass:
    name: str
    title: str
    alerting: frozenset[str]
    severity: str
    alert_task_id: str
    rule: str


@dataclass(frozen=True)
class SqlCheck:
    """A check that is one SQL file (include/sql/checks/<name>.sql) over a check function."""

    name: str
    check_class: str
    key_label: str
    columns: tuple[str, ...]
    reads: tuple[str, ...]  # the analytics tables its check function reads
    alerts: bool = True
    task_prefix: str = "check"

    @property
    def task_id(self) -> str:
        return f"{self.task_prefix}_{self.name}"

    @property
    def sql_file(self) -> str:
        return f"checks/{self.name}.sql"


@dataclass(frozen=True)
class TableRules:
    """Row-level rules for SQLTableCheckOperator: name -> boolean SQL aggregate."""

    name: str
    table: str
    checks: Mapping[str, str]
    partition_clause: str | None = None
    check_class: str = "integrity"
    references: tuple[str, ...] = ()  # the other analytics tables its rules read

    @property
    def task_id(self) -> str:
        return f"check_{self.name}"

    @property
    def reads(self) -> tuple[str, ...]:
        return (self.table.removeprefix("analytics."), *self.references)


@dataclass(frozen=True)
class ColumnRules:
    """Column rules for SQLColumnCheckOperator (its `column_mapping`)."""

    name: str
    table: str
    column_mapping: Mapping[str, Mapping[str, Mapping[str, object]]]
    partition_clause: str | None = None
    check_class: str = "integrity"

    @property
    def task_id(self) -> str:
        return f"check_{self.name}"

    @property
    def reads(self) -> tuple[str, ...]:
        return (self.table.removeprefix("analytics."),)


CLASSES: tuple[CheckClass, ...] = (
    CheckClass(
        name="freshness",
        title="Data freshness",
        alerting=frozenset({"STALE"}),
        severity="critical",
        alert_task_id="alert_freshness_stale",
        rule="newest hour in fact_video_performance older than 6 h, or newest YouTube "
        "revenue day 5 or more warehouse days old (or the table is empty)",
    ),
    CheckClass(
        name="reconciliation",
        title="Revenue reconciliation",
        alerting=frozenset({"MISMATCH", "MISSING"}),
        severity="high",
        alert_task_id="alert_reconciliation_mismatch",
        rule="per day: fact estimated revenue vs attributed YouTube revenue differ by more "
        "than 5 % (MISMATCH) or one side is missing (MISSING); per channel and YouTube "
        "day: YouTube's channel total vs the sum of its video rows differ by more than 5 %",
    ),
    CheckClass(
        name="missing_data",
        title="Missing hourly data",
        alerting=frozenset({"CRITICAL"}),
        severity="critical",
        alert_task_id="alert_missing_data_critical",
        rule="an active channel without any fact row in more than 12 of the last "
        "24 complete hours",
    ),
    CheckClass(
        name="slow_queries",
        title="Slow queries and pipeline steps",
        alerting=frozenset({"CRITICAL"}),
        severity="high",
        alert_task_id="alert_slow_queries_critical",
        rule="in the last hour: a query averaging over 2 s or failing over 10 % of the "
        "time, or a pipeline step over its critical budget (analytics.step_budgets)",
    ),
    CheckClass(
        name="forecasts",
        title="Forecast worsening",
        alerting=frozenset({"DEGRADED"}),
        severity="high",
        alert_task_id="alert_forecasts_degraded",
        rule="a channel's forecast model erred in its back-test's newest week 3 or more "
        "times as much as in the weeks before (views or revenue)",
    ),
    CheckClass(
        name="integrity",
        title="Row-level integrity",
        alerting=frozenset({"VIOLATION"}),
        severity="high",
        alert_task_id="alert_integrity_violation",
        rule="duplicate natural keys, negative money, or references that do not resolve "
        "in the recent window of a table",
    ),
)

SQL_CHECKS: tuple[SqlCheck, ...] = (
    SqlCheck(
        name="data_freshness",
        check_class="freshness",
        key_label="table",
        columns=("last_update", "hours_since_update"),
        reads=("fact_video_performance", "revenue_attribution", "cost_tracking",
               "partner_revenue"),
    ),
    SqlCheck(
        name="revenue_reconciliation",
        check_class="reconciliation",
        key_label="warehouse day",
        columns=(
            "youtube_revenue", "calculated_revenue", "difference", "difference_percentage",
        ),
        reads=("fact_video_performance", "revenue_attribution"),
    ),
    SqlCheck(
        name="channel_revenue_reconciliation",
        check_class="reconciliation",
        key_label="channel, YouTube day",
        columns=(
            "channel_name", "channel_revenue", "videos_revenue", "difference_percentage",
            "channel_views", "videos_views", "video_rows",
        ),
        reads=("dim_channel", "yt_channel_daily", "yt_video_daily"),
    ),
    SqlCheck(
        name="missing_data",
        check_class="missing_data",
        key_label="channel",
        columns=("channel_name", "missing_hours", "last_data_point"),
        reads=("dim_channel", "fact_video_performance"),
    ),
    SqlCheck(
        name="slow_queries",
        check_class="slow_queries",
        key_label="query or step",
        columns=(
            "avg_execution_time_ms", "max_execution_time_ms", "failure_rate",
        ),
        reads=(),  # the bundle's own step log and budgets: no data flow
    ),
    SqlCheck(
        name="forecast_accuracy",
        check_class="forecasts",
        key_label="channel metric",
        columns=("channel_name", "model", "newest_origin", "newest_mae", "usual_mae", "ratio"),
        reads=("forecast_backtest_summary", "forecast_backtest", "dim_channel"),
    ),
    # pg_stat_statements (where preloaded): a report of the slowest statements, never an alert.
    SqlCheck(
        name="slowest_statements",
        check_class="slow_queries",
        key_label="statement",
        columns=("calls", "mean_time", "max_time", "query"),
        reads=(),  # pg_stat_statements
        alerts=False,
        task_prefix="report",
    ),
)


def _frozen(mapping: Mapping) -> MappingProxyType:
    return MappingProxyType(
        {k: _frozen(v) if isinstance(v, Mapping) else v for k, v in mapping.items()}
    )


_NON_NEGATIVE = _frozen({"min": {"geq_to": 0}})

# Windows are relative to each table's newest row (the operators cannot bind the
# logical time): the recent hours/days that loads re-write, not the whole history.
# Inputs other systems write (cost_tracking, partner_revenue) are not checked here:
# what they feed is, in revenue_attribution (docs/design.md: inputs are reported, never
# alerted).
_FACT_WINDOW = (
    "timestamp > (select max(f.timestamp) from analytics.fact_video_performance as f)"
    " - interval '48 hours'"
)
_REVENUE_WINDOW = (
    "revenue_date >= (select max(r.revenue_date) from analytics.revenue_attribution as r) - 45"
)
_LANDING_WINDOW = "day >= (select max(y.day) from analytics.yt_video_daily as y) - 45"

# What an integrity result row's details hold (from the operator's SQLCheckResult).
INTEGRITY_COLUMNS = ("check_type", "expected", "actual", "check")

INTEGRITY_CHECKS: tuple[TableRules | ColumnRules, ...] = (
    TableRules(
        name="fact_keys",
        table="analytics.fact_video_performance",
        partition_clause=_FACT_WINDOW,
        checks=_frozen({
            "unique_video_hour": "count(*) = count(distinct (video_id, timestamp))",
            "video_resolves": "count(*) filter (where video_id not in "
            "(select video_id from analytics.dim_video)) = 0",
            "channel_resolves": "count(*) filter (where channel_id not in "
            "(select channel_id from analytics.dim_channel)) = 0",
        }),
        references=("dim_video", "dim_channel"),
    ),
    ColumnRules(
        name="fact_money",
        table="analytics.fact_video_performance",
        partition_clause=_FACT_WINDOW,
        column_mapping=_frozen({
            "estimated_revenue_cents": _NON_NEGATIVE,
            "actual_revenue_cents": _NON_NEGATIVE,
            "cost_cents": _NON_NEGATIVE,
        }),
    ),
    TableRules(
        name="revenue_keys",
        table="analytics.revenue_attribution",
        partition_clause=_REVENUE_WINDOW,
        checks=_frozen({
            "unique_video_day": "count(*) = count(distinct (video_id, revenue_date))",
            "channel_resolves": "count(*) filter (where channel_id not in "
            "(select channel_id from analytics.dim_channel)) = 0",
            # Cost-only rows may precede the video's publication (docs/design.md).
            "reported_video_resolves": "count(*) filter (where ad_revenue_cents "
            "+ other_revenue_cents <> 0 and video_id not in "
            "(select video_id from analytics.dim_video)) = 0",
        }),
        references=("dim_video", "dim_channel"),
    ),
    ColumnRules(
        name="revenue_money",
        table="analytics.revenue_attribution",
        partition_clause=_REVENUE_WINDOW,
        column_mapping=_frozen({
            column: _NON_NEGATIVE
            for column in (
                "ad_revenue_cents", "other_revenue_cents", "sponsorship_revenue_cents",
                "affiliate_revenue_cents", "ai_cost_cents", "api_cost_cents",
                "infrastructure_cost_cents",
            )
        }),
    ),
    TableRules(
        name="landing_keys",
        table="analytics.yt_video_daily",
        partition_clause=_LANDING_WINDOW,
        checks=_frozen({
            "unique_video_day": "count(*) = count(distinct (video_id, day))",
            "video_resolves": "count(*) filter (where video_id not in "
            "(select video_id from analytics.dim_video)) = 0",
            "channel_resolves": "count(*) filter (where channel_id not in "
            "(select channel_id from analytics.dim_channel)) = 0",
        }),
        references=("dim_video", "dim_channel"),
    ),
    ColumnRules(
        name="landing_money",
        table="analytics.yt_video_daily",
        partition_clause=_LANDING_WINDOW,
        column_mapping=_frozen({
            "estimated_revenue": _NON_NEGATIVE,
            "estimated_ad_revenue": _NON_NEGATIVE,
        }),
    ),
)


@dataclass(frozen=True)
class Registry:
    classes: tuple[CheckClass, ...] = CLASSES
    sql_checks: tuple[SqlCheck, ...] = SQL_CHECKS
    integrity_checks: tuple[TableRules | ColumnRules, ...] = INTEGRITY_CHECKS

    def check_class(self, name: str) -> CheckClass:
        for cls in self.classes:
            if cls.name == name:
                return cls
        raise KeyError(f"unknown check class {name!r}")

    def sql_check(self, name: str) -> SqlCheck:
        for check in self.sql_checks:
            if check.name == name:
                return check
        raise KeyError(f"unknown check {name!r}")

    def columns_for(self, check_name: str) -> tuple[str, ...]:
        """The details an alert shows for a row of `check_name`."""
        for check in self.sql_checks:
            if check.name == check_name:
                return check.columns
        return INTEGRITY_COLUMNS

    def all_checks(self) -> tuple[SqlCheck | TableRules | ColumnRules, ...]:
        return (*self.sql_checks, *self.integrity_checks)

    def alerting_checks(self, class_name: str) -> tuple[str, ...]:
        """Names of the checks whose results decide whether `class_name` alerts."""
        return tuple(
            c.name
            for c in self.all_checks()
            if c.check_class == class_name and getattr(c, "alerts", True)
        )

    def check_task_ids(self) -> dict[str, str]:
        """Check name -> task id, for every check."""
        return {c.name: c.task_id for c in self.all_checks()}


REGISTRY = Registry()
