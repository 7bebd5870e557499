"""The two Grafana dashboards as code (docs/dashboards.md).

Built with grafana-foundation-sdk's builders; the SDK has no SQL query type, so
`SqlQuery` is the small custom one its documentation describes. Panel SQL is read from
include/sql/dashboards/. `python -m ytempire_dev.dashboards` writes the dashboards'
JSON and the provisioning files under include/grafana/; tests require the committed
files to equal what this module generates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Self

import yaml
from grafana_foundation_sdk.builders import barchart, stat, table, timeseries
from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.builders import trend as trend_panel
from grafana_foundation_sdk.builders.common import (
    ReduceDataOptions,
    VizLegendOptions,
    VizTooltipOptions,
)
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.cog import variants as cogvariants
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models import dashboard as model

from ytempire import settings
from ytempire_dev.metrics import panel_description

REPO = Path(__file__).resolve().parents[2]
GRAFANA_DIR = REPO / "include" / "grafana"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
PROVISIONING_DIR = GRAFANA_DIR / "provisioning"
PANEL_SQL_DIR = "dashboards"

DATASOURCE_TYPE = "grafana-postgresql-datasource"
DATASOURCE_UID = "ytempire-warehouse"
DATASOURCE = common.DataSourceRef(type_val=DATASOURCE_TYPE, uid=DATASOURCE_UID)
SCHEMA_VERSION = 41

EXECUTIVE_UID = "ytempire-executive"
CHANNELS_UID = "ytempire-channel-performance"
EXPERIMENTS_UID = "ytempire-experiments"


# ---- the custom query type -----------------------------------------------------------------


class SqlQuery(cogvariants.Dataquery):
    """A raw-SQL target of Grafana's PostgreSQL data source."""

    def __init__(self, raw_sql: str, result_format: str, ref_id: str = "A") -> None:
        if result_format not in ("table", "time_series"):
            raise ValueError(f"unknown result format {result_format!r}")
        self.raw_sql = raw_sql
        self.result_format = result_format
        self.ref_id = ref_id

    def to_json(self) -> dict[str, object]:
        return {
            "refId": self.ref_id,
            "datasource": {"type": DATASOURCE_TYPE, "uid": DATASOURCE_UID},
            "editorMode": "code",
            "rawQuery": True,
            "rawSql": self.raw_sql,
            # Always explicit: a missing format is taken as time_series by the server.
            "format": self.result_format,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        return cls(data["rawSql"], data["format"], data.get("refId", "A"))


class SqlQueryBuilder(cogbuilder.Builder[SqlQuery]):
    def __init__(self, sql_name: str, result_format: str) -> None:
        self._internal = SqlQuery(panel_sql(sql_name), result_format)

    def build(self) -> SqlQuery:
        return self._internal


def panel_sql(name: str) -> str:
    """The text of include/sql/dashboards/<name>.sql, as Grafana receives it."""
    return (settings.SQL_DIR / PANEL_SQL_DIR / f"{name}.sql").read_text().rstrip() + "\n"


# ---- small helpers ---------------------------------------------------------------------------


def _thresholds(*steps: tuple[float | None, str]) -> dash.ThresholdsConfig:
    return (
        dash.ThresholdsConfig()
        .mode(model.ThresholdsMode.ABSOLUTE)
        .steps([model.Threshold(value=value, color=color) for value, color in steps])
    )


def _grid(x: int, y: int, w: int, h: int) -> model.GridPos:
    return model.GridPos(h=h, w=w, x=x, y=y)


def _reduce_last() -> ReduceDataOptions:
    return ReduceDataOptions().values(False).calcs(["lastNotNull"]).fields("")


REVENUE_DATES = (
    "Range: the revenue dates from the warehouse date of its start to that of its end, "
    "both included."
)
WAREHOUSE_DATES = (
    "Range: the warehouse dates from that of its start to that of its end, both included."
)
YOUTUBE_PENDING = (
    " YouTube reports a day about two days later: the title says up to which day it has, and "
    "the later days count their partner revenue and costs only."
)


def describe(*metric_keys: str, range_rule: str = "") -> str:
    """A panel's description: the dictionary's text of the metrics it shows
    (include/metrics.yaml), then the panel's own range rule."""
    text = panel_description(*metric_keys)
    return f"{text}\n\n{range_rule}" if range_rule else text


# ---- Executive dashboard ---------------------------------------------------------------------


def _stat(panel_id: int, title: str, description: str, query: str, unit: str, decimals: int,
          steps: list, grid: model.GridPos) -> stat.Panel:
    return (
        stat.Panel()
        .id(panel_id)
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder(query, "table"))
        .unit(unit)
        .decimals(decimals)
        .thresholds(_thresholds(*steps))
        .reduce_options(_reduce_last())
        .graph_mode(common.BigValueGraphMode.NONE)
        .grid_pos(grid)
    )


def executive() -> dash.Dashboard:
    total_revenue = _stat(
        1, "Total Revenue (${revenue_days})",
        describe("total_revenue", range_rule=REVENUE_DATES + YOUTUBE_PENDING),
        "executive_total_revenue", "currencyUSD", 2,
        [(None, "red"), (5000, "yellow"), (10000, "green")], _grid(0, 0, 6, 4))
    cost_per_video = _stat(
        2, "Average Cost Per Video (${range_days})",
        describe("cost_per_video", range_rule=WAREHOUSE_DATES),
        "executive_average_cost_per_video", "currencyUSD", 2,
        [(None, "green"), (0.40, "yellow"), (0.45, "orange"), (0.50, "red")], _grid(6, 0, 6, 4))
    # A stat, not a gauge: pooled ROI runs from -100 % to thousands, no scale fits it.
    roi = _stat(
        3, "Average ROI (${revenue_days})",
        describe("pooled_roi", range_rule=REVENUE_DATES + YOUTUBE_PENDING),
        "executive_average_roi", "percent", 0,
        [(None, "red"), (100, "yellow"), (200, "green")], _grid(12, 0, 6, 4))
    active = _stat(
        4, "Active Channels (24 h to the range's end)", describe("recently_active_channels"),
        "executive_active_channels", "short", 0, [(None, "blue")], _grid(18, 0, 6, 4))
    trend = (
        timeseries.Panel()
        .id(5)
        .title("Revenue vs Cost Trend")
        .description(
            describe(
                "total_revenue",
                "total_cost",
                range_rule="Its own window: the revenue dates of the last 30 days, each drawn "
                "at its warehouse midnight. Revenue is drawn up to the newest day YouTube has "
                "reported (about two days back); later days have no revenue point, only cost.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("executive_revenue_vs_cost", "time_series"))
        .time_from("30d")
        .unit("currencyUSD")
        .line_width(2)
        .fill_opacity(10)
        .legend(
            VizLegendOptions()
            .show_legend(True)
            .display_mode(common.LegendDisplayMode.LIST)
            .placement(common.LegendPlacement.BOTTOM)
        )
        .tooltip(VizTooltipOptions().mode(common.TooltipDisplayMode.MULTI).sort(common.SortOrder.NONE))
        .grid_pos(_grid(0, 4, 24, 8))
    )
    # A trend panel: its x axis is the data's own, so the future days show whatever the
    # time picker says (a time series panel draws only the picked range).
    forecast = (
        trend_panel.Panel()
        .id(6)
        .title("Revenue Forecast (next 30 days)")
        .description(
            describe(
                "forecast_point",
                "forecast_interval",
                range_rule="Its own window, whatever the time picker: the total YouTube "
                "revenue of the channels with a forecast as YouTube reported it over the 30 "
                "days up to their training end, then the 30 days after it with the 80 % band.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("executive_revenue_forecast", "table"))
        .x_field("time")
        .unit("currencyUSD")
        .line_width(2)
        .grid_pos(_grid(0, 12, 24, 8))
    )
    return (
        dash.Dashboard("YTEMPIRE Executive Dashboard")
        .uid(EXECUTIVE_UID)
        .description("Revenue, cost and ROI of YTEMPIRE's channels (docs/dashboards.md).")
        .tags(["executive", "revenue", "performance"])
        .readonly()
        .timezone("browser")
        .refresh("5m")
        .time("now-7d", "now")
        .with_variable(_hidden_variable("revenue_days", "Revenue days",
                                        model.VariableRefresh.ON_TIME_RANGE_CHANGED))
        .with_variable(_hidden_variable("range_days", "Range days",
                                        model.VariableRefresh.ON_TIME_RANGE_CHANGED))
        .with_panel(total_revenue)
        .with_panel(cost_per_video)
        .with_panel(roi)
        .with_panel(active)
        .with_panel(trend)
        .with_panel(forecast)
    )


# ---- Channel Performance Matrix --------------------------------------------------------------


def channel_variable() -> dash.QueryVariable:
    return (
        dash.QueryVariable("channel")
        .label("Channel")
        .datasource(DATASOURCE)
        .query(panel_sql("channel_options"))
        .definition(panel_sql("channel_options"))
        .refresh(model.VariableRefresh.ON_DASHBOARD_LOAD)
        .multi(True)
        .include_all(True)
        .current(model.VariableOption(selected=True, text=["All"], value=["$__all"]))
    )


def _hidden_variable(name: str, label: str, refresh: model.VariableRefresh) -> dash.QueryVariable:
    """A variable for panel titles: its SQL (include/sql/dashboards/<name>.sql) gives one text."""
    return (
        dash.QueryVariable(name)
        .label(label)
        .datasource(DATASOURCE)
        .query(panel_sql(name))
        .definition(panel_sql(name))
        .refresh(refresh)
        .hide(model.VariableHide.HIDE_VARIABLE)
    )


def channels() -> dash.Dashboard:
    overview = (
        table.Panel()
        .id(1)
        .title("Channel Performance Overview")
        .description(
            describe(
                "video_count",
                "views",
                "engagement_rate",
                "youtube_revenue",
                "total_cost",
                "profit",
                "channel_ranks",
                range_rule="Fixed window: the 7 complete warehouse days before today, not the "
                "time picker; ranks are across all channels; engagement in percent of views.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("channel_overview", "table"))
        .grid_pos(_grid(0, 0, 24, 8))
    )
    views_by_hour = (
        table.Panel()
        .id(2)
        .title("Views Distribution by Hour (day of week x hour of day, ${warehouse_tz})")
        .description(
            describe(
                "observed_views",
                range_rule="Hours of the range by day of week (rows) and hour of day "
                "(columns), both in the warehouse time zone.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("channel_views_by_hour", "table"))
        .cell_options(
            common.TableColoredBackgroundCellOptions(
                mode=common.TableCellBackgroundDisplayMode.GRADIENT
            )
        )
        .color_scheme(dash.FieldColor().mode(model.FieldColorModeId.CONTINUOUS_GR_YL_RD))
        .grid_pos(_grid(0, 8, 24, 8))
    )
    top_videos = (
        barchart.Panel()
        .id(3)
        .title("Top 10 Videos by Revenue")
        .description(
            describe(
                "total_revenue",
                range_rule=REVENUE_DATES + " The video id tells apart videos with one title.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("channel_top_videos", "table"))
        .x_field("video")
        .orientation(common.VizOrientation.HORIZONTAL)
        .unit("currencyUSD")
        .grid_pos(_grid(0, 16, 24, 10))
    )
    forecast = (
        table.Panel()
        .id(4)
        .title("30-Day Forecast")
        .description(
            describe(
                "forecast_point",
                "forecast_change",
                range_rule="Its own window: each channel's newest forecast (the 30 days after "
                "the day it was trained through) against its 30 final days up to that day, "
                "whatever the time picker. Revenue in dollars.",
            )
        )
        .datasource(DATASOURCE)
        .with_target(SqlQueryBuilder("channel_forecast", "table"))
        .grid_pos(_grid(0, 26, 24, 8))
    )
    return (
        dash.Dashboard("Channel Performance Matrix")
        .uid(CHANNELS_UID)
        .description("Per-channel performance (docs/dashboards.md).")
        .tags(["channels", "performance"])
        .readonly()
        .timezone("browser")
        .refresh("10m")
        .time("now-24h", "now")
        .with_variable(channel_variable())
        .with_variable(_hidden_variable("warehouse_tz", "Warehouse time zone",
                                        model.VariableRefresh.ON_DASHBOARD_LOAD))
        .with_panel(overview)
        .with_panel(views_by_hour)
        .with_panel(top_videos)
        .with_panel(forecast)
    )


# ---- Experiments -------------------------------------------------------------------------------


def _table(panel_id: int, title: str, description: str, query: str,
           grid: model.GridPos) -> table.Panel:
    return (table.Panel().id(panel_id).title(title).description(description)
            .datasource(DATASOURCE).with_target(SqlQueryBuilder(query, "table"))
            .no_value("No experiment in the range yet: docs/experiments.md says how to "
                      "start one.")
            .grid_pos(grid))


def experiments() -> dash.Dashboard:
    in_range = "Range: the experiments running, paused or concluded in it."
    return (
        dash.Dashboard("YTEMPIRE Experiments")
        .uid(EXPERIMENTS_UID)
        .description("Switchback tests of titles and thumbnails (docs/experiments.md).")
        .tags(["experiments", "performance"])
        .readonly()
        .timezone("browser")
        .refresh("10m")
        .time("now-30d", "now")
        .with_panel(_table(
            1, "Experiments", describe("experiment_effect", "experiment_p_value",
                                       "experiment_power", range_rule=in_range),
            "experiments_overview", _grid(0, 0, 24, 8)))
        .with_panel(_table(
            2, "Variant Timeline", describe("experiment_exposure_hours", range_rule=in_range),
            "experiments_timeline", _grid(0, 8, 24, 8)))
        .with_panel(_table(
            3, "Per-Block Outcomes", describe("experiment_block_rate", range_rule=in_range),
            "experiments_block_outcomes", _grid(0, 16, 24, 10)))
    )


# ---- output ----------------------------------------------------------------------------------

DASHBOARDS = {"executive.json": executive, "channel_performance.json": channels,
              "experiments.json": experiments}
# How include/metrics.yaml names a panel: `<dashboard> / <panel title>`.
DASHBOARD_NAMES = {"executive.json": "Executive", "channel_performance.json": "Channel Performance",
                   "experiments.json": "Experiments"}


def panels_by_name() -> dict[str, dict[str, Any]]:
    """Every generated panel by the name the metric dictionary uses for it: the dashboard's
    short name and the panel's title up to any parenthesis (which may hold a variable)."""
    found = {}
    for file_name, build in DASHBOARDS.items():
        for panel in dashboard_json(build())["panels"]:
            name = f"{DASHBOARD_NAMES[file_name]} / {panel['title'].split(' (')[0]}"
            if name in found:
                raise ValueError(f"two panels named {name!r}")
            found[name] = panel
    return found



def dashboard_json(builder: dash.Dashboard) -> dict[str, Any]:
    """The dashboard as Grafana's classic JSON model."""
    encoded = json.loads(json.dumps(builder.build(), cls=JSONEncoder))
    encoded["schemaVersion"] = SCHEMA_VERSION
    return encoded


def render_json(doc: Any) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def datasource_provisioning(timescaledb: bool = True) -> dict[str, Any]:
    """The data source: fixed uid, the reporting role, database in jsonData."""
    return {
        "apiVersion": 1,
        "datasources": [
            {
                "name": "YTEMPIRE warehouse",
                "uid": DATASOURCE_UID,
                "type": DATASOURCE_TYPE,
                "access": "proxy",
                "url": "warehouse:5432",
                "user": "$GRAFANA_WAREHOUSE_USER",
                "isDefault": True,
                "editable": False,
                "jsonData": {
                    "database": "$WAREHOUSE_DB",
                    "sslmode": "disable",
                    "postgresVersion": 1500,
                    # The compose stack's warehouse is TimescaleDB (time_bucket for
                    # $__timeGroup); set false for a plain PostgreSQL warehouse.
                    "timescaledb": timescaledb,
                    "maxOpenConns": 10,
                },
                "secureJsonData": {"password": "$GRAFANA_WAREHOUSE_PASSWORD"},
            }
        ],
    }


def dashboards_provisioning() -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "providers": [
            {
                "name": "ytempire",
                "folder": "YTEMPIRE",
                "type": "file",
                "disableDeletion": True,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 60,
                "options": {"path": "/var/lib/grafana/dashboards/ytempire"},
            }
        ],
    }


def _yaml(doc: dict[str, Any], header: str) -> str:
    return header + yaml.safe_dump(doc, sort_keys=False)


def generated_files() -> dict[Path, str]:
    """Every file this module writes, relative to the repository, with its content."""
    header = "# Generated by `python -m ytempire_dev.dashboards`: do not edit by hand.\n"
    files = {
        (DASHBOARDS_DIR / name).relative_to(REPO): render_json(dashboard_json(build()))
        for name, build in DASHBOARDS.items()
    }
    files[(PROVISIONING_DIR / "datasources" / "warehouse.yaml").relative_to(REPO)] = _yaml(
        datasource_provisioning(), header
    )
    files[(PROVISIONING_DIR / "dashboards" / "ytempire.yaml").relative_to(REPO)] = _yaml(
        dashboards_provisioning(), header
    )
    return files


def write() -> list[Path]:
    written = []
    for relative, text in generated_files().items():
        path = REPO / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(relative)
    return written


if __name__ == "__main__":
    for relative in write():
        print(relative)
