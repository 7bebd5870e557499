"""A static, self-contained HTML report of both dashboards (docs/dashboards.md).

Where no Grafana runs: every panel of the committed dashboard JSON, its SQL rendered as
Grafana would (ytempire_dev.grafana_sql, every channel selected) and run against the
warehouse, drawn with plotly. plotly.js and the styles are inline, so the file opens
without a network.

    python -m ytempire_dev.report [--from 2026-11-01] [--to 2026-11-08] [--out FILE]
                                  [--screenshots DIR]

The range defaults to the last 7 days; the warehouse is WAREHOUSE_DSN, or else the local
stack's (scripts/run's .run/ cluster, started for the report if it is not running).
`--screenshots DIR` also writes a PNG of each dashboard's section, drawn in headless
Chromium (docs/dashboards-*.png are these).
"""

from __future__ import annotations

import argparse
import html
import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import psycopg
from plotly.offline import get_plotlyjs

from ytempire_dev import grafana_sql
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR, panel_sql
from ytempire_dev.grafana_sql import ALL, TimeRange

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / ".run" / "ytempire-report.html"
# The screenshot of each dashboard's section: docs/dashboards-<name>.png.
SECTION_NAMES = {"executive.json": "executive", "channel_performance.json": "channels",
                 "experiments.json": "experiments"}

# Debian's chromium, driven by playwright with no browser download.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; background: #f5f6f8; color: #1f2430; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.range { color: #555; }
.dashboard { padding: 0.5rem; }
.grid { display: grid; grid-template-columns: repeat(24, 1fr); gap: 0.75rem; }
.panel { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; padding: 0.6rem;
         overflow: auto; }
.panel h3 { font-size: 0.95rem; margin: 0 0 0.4rem 0; }
.stat-value { font-size: 2rem; font-weight: 600; text-align: center; padding: 0.8rem 0; }
table.data { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
table.data th, table.data td { border-bottom: 1px solid #e3e6eb; padding: 0.25rem 0.5rem;
                               text-align: right; }
table.data th:first-child, table.data td:first-child { text-align: left; }
.note { color: #666; font-size: 0.8rem; }
.hidden { position: absolute; left: -10000px; }
"""


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else value


def _format(value: Any, unit: str | None, decimals: int | None) -> str:
    if value is None:
        return "No data"
    number = float(value)
    places = 2 if decimals is None else int(decimals)
    if unit == "currencyUSD":
        return f"${number:,.{places}f}"
    if unit == "percent":
        return f"{number:,.{places}f}%"
    return f"{number:,.{places}f}"


# Grafana's named threshold colours
COLORS = {"red": "#d44a3a", "orange": "#eb7b18", "yellow": "#c9a000", "green": "#299c46",
          "blue": "#3274d9"}


def _threshold_color(steps: list[dict], value: Any) -> str:
    """The colour Grafana gives a value: that of the last step at or below it."""
    color = "#1f2430"
    for step in steps:
        if value is not None and (step["value"] is None or float(value) >= step["value"]):
            color = COLORS.get(step["color"], step["color"])
    return color


def _cell(value: Any, decimals: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and decimals is None and value.as_tuple().exponent >= 0:
        return f"{int(value):,}"
    if isinstance(value, Decimal | float):
        return f"{value:,.{2 if decimals is None else int(decimals)}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def run_panel(conn: psycopg.Connection, panel: dict, time_range: TimeRange,
              options: dict[str, list[str]]) -> tuple[list[str], list[tuple]]:
    (target,) = panel["targets"]
    statement = grafana_sql.render(
        target["rawSql"], grafana_sql.relative_range(time_range, panel.get("timeFrom")),
        {"channel": ALL}, options)
    cursor = conn.execute(statement)
    return [d.name for d in cursor.description], cursor.fetchall()


def _figure_html(fig: go.Figure, height: int) -> str:
    fig.update_layout(height=height, margin=dict(l=40, r=20, t=10, b=40),
                      paper_bgcolor="white", plot_bgcolor="white")
    return pio.to_html(fig, full_html=False, include_plotlyjs=False,
                       config={"displayModeBar": False, "responsive": True})


def render_panel(panel: dict, columns: list[str], rows: list[tuple], title: str) -> str:
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    unit, decimals = defaults.get("unit"), defaults.get("decimals")
    kind = panel["type"]
    if kind == "stat":
        value = rows[0][0] if rows else None
        color = _threshold_color(defaults.get("thresholds", {}).get("steps", []), value)
        body = (f'<div class="stat-value" style="color: {color}" '
                f'data-stat-value="{html.escape(str(value))}">'
                f"{html.escape(_format(value, unit, decimals))}</div>")
        chart = False
    elif kind == "timeseries":
        fig = go.Figure()
        for i, name in enumerate(columns[1:], 1):
            fig.add_trace(go.Scatter(x=[r[0] for r in rows], y=[_number(r[i]) for r in rows],
                                     mode="lines+markers", name=name))
        fig.update_yaxes(tickprefix="$" if unit == "currencyUSD" else "")
        body = _figure_html(fig, 320)
        chart = True
    elif kind == "trend":  # reported days, then the forecast with its band:
        x = [r[0] for r in rows]  # time, reported, forecast, lo_80, hi_80
        fig = go.Figure([
            go.Scatter(x=x, y=[_number(r[1]) for r in rows], mode="lines+markers",
                       name=columns[1], line={"color": "#1f77b4"}),
            go.Scatter(x=x, y=[_number(r[4]) for r in rows], mode="lines", line={"width": 0},
                       name=columns[4], showlegend=False),
            go.Scatter(x=x, y=[_number(r[3]) for r in rows], mode="lines", line={"width": 0},
                       fill="tonexty", fillcolor="rgba(255,127,14,0.2)", name="80 % band"),
            go.Scatter(x=x, y=[_number(r[2]) for r in rows], mode="lines+markers",
                       name=columns[2], line={"color": "#ff7f0e", "dash": "dot"}),
        ])
        fig.update_yaxes(tickprefix="$" if unit == "currencyUSD" else "")
        body = _figure_html(fig, 320)
        if not rows:
            body += '<p class="note">No forecast yet: analytics_forecasts has not run.</p>'
        chart = True
    elif kind == "barchart":
        # plotly reads a few HTML tags in labels: escape them, a title is only text
        labels = [html.escape(str(r[0])) for r in rows]
        fig = go.Figure(go.Bar(x=[_number(r[1]) for r in rows][::-1], y=labels[::-1],
                               orientation="h"))
        fig.update_xaxes(tickprefix="$" if unit == "currencyUSD" else "")
        body = _figure_html(fig, 60 + 32 * max(len(rows), 3))
        chart = True
    elif kind == "table" and columns[0] == "day_of_week":
        fig = go.Figure(go.Heatmap(z=[[_number(v) for v in r[1:]] for r in rows],
                                   x=columns[1:], y=[r[0] for r in rows],
                                   colorscale="YlOrRd"))
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(title_text="hour of day")
        body = _figure_html(fig, 320)
        if not any(_number(v) for r in rows for v in r[1:]):
            body += ('<p class="note">No observed hours in the range: loaded history holds '
                     "days, not hours; the hourly collector fills this grid as it runs.</p>")
        chart = True
    elif kind == "table":
        # a snake_case header may wrap at its underscores in a narrow card, not mid-word
        head = "".join(f"<th>{html.escape(c).replace('_', '_<wbr>')}</th>" for c in columns)
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v, decimals))}</td>" for v in r)
            + "</tr>" for r in rows)
        body = f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>'
        if not rows:  # the panel's own "no value" text says why, as Grafana shows it
            no_value = panel.get("fieldConfig", {}).get("defaults", {}).get("noValue", "No rows.")
            body += f'<p class="note">{html.escape(no_value)}</p>'
        chart = False
    else:
        raise ValueError(f"panel type {kind!r} is not drawn by the report")
    grid = panel["gridPos"]
    kind_attr = "chart" if chart else kind
    description = html.escape(panel.get("description", ""))
    return (f'<section class="panel" data-panel="{html.escape(title)}" '
            f'data-panel-kind="{kind_attr}" style="grid-column: span {grid["w"]}">'
            f'<h3 title="{description}">{html.escape(title)}</h3>{body}</section>')


def title_values(conn: psycopg.Connection, doc: dict, time_range: TimeRange) -> dict[str, str]:
    """The text of each single-valued variable of a dashboard (what its titles show)."""
    values = {}
    for variable in doc.get("templating", {}).get("list", []):
        if not variable.get("multi"):
            row = conn.execute(grafana_sql.render(variable["query"], time_range)).fetchone()
            values[variable["name"]] = "" if row is None else str(row[0])
    return values


def build(conn: psycopg.Connection, time_range: TimeRange) -> str:
    options = {"channel": [r[1] for r in conn.execute(panel_sql("channel_options")).fetchall()]
               or ["__none__"]}
    sections = []
    for name in DASHBOARDS:
        doc = json.loads((DASHBOARDS_DIR / name).read_text())
        titles = title_values(conn, doc, time_range)
        panels = []
        for panel in sorted(doc["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
            columns, rows = run_panel(conn, panel, time_range, options)
            title = grafana_sql.interpolate_title(panel["title"], titles)
            panels.append(render_panel(panel, columns, rows, title))
        sections.append(f'<div class="dashboard" data-dashboard="{SECTION_NAMES[name]}">'
                        f'<h2>{html.escape(doc["title"])}</h2><div class="grid">'
                        + "".join(panels) + "</div></div>")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    span = (f"{time_range.start.isoformat(timespec='minutes')} to "
            f"{time_range.end.isoformat(timespec='minutes')}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>YTEMPIRE analytics report</title>
<style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>YTEMPIRE analytics report</h1>
<p class="range">Range {html.escape(span)}; every channel. Generated {stamp} from the
dashboards' own SQL (docs/dashboards.md). The revenue trend shows the 30 days before the
range's end, its revenue up to the newest day YouTube has reported (it reports a day about
two days later); the channel overview the 7 complete warehouse days before today.</p>
{''.join(sections)}
</body></html>
"""


def write(dsn: str, time_range: TimeRange, out: Path) -> Path:
    with psycopg.connect(dsn, autocommit=True) as conn:
        text = build(conn, time_range)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return out


def screenshot_sections(report_html: Path, out_dir: Path, width: int = 1400) -> list[Path]:
    """A PNG of each dashboard's section of the report, `dashboards-<name>.png`, drawn
    in headless Chromium."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1000})
            page.goto(report_html.as_uri())
            page.wait_for_load_state("load")
            for name in SECTION_NAMES.values():
                section = page.locator(f'div.dashboard[data-dashboard="{name}"]')
                if section.locator('[data-panel-kind="chart"]').count():
                    section.locator(".main-svg").first.wait_for(timeout=15_000)
                path = out_dir / f"dashboards-{name}.png"
                section.screenshot(path=str(path))
                written.append(path)
        finally:
            browser.close()
    return written


def last_days(days: int) -> TimeRange:
    end = datetime.now(UTC).replace(microsecond=0)
    return TimeRange(end - timedelta(days=days), end)


def main_for_stack(dsn: str) -> Path:
    """The report the run command writes once the history is loaded: the last 7 days."""
    return write(dsn, last_days(7), DEFAULT_OUT)


@contextmanager
def local_stack_warehouse(flavor: str):
    """The local stack's warehouse: the running server of `scripts/run`, or else its kept
    cluster under .run/, started for the report and stopped after it; as the stack's
    reader login where the stack made it (the report only reads)."""
    from ytempire_dev import devstack
    from ytempire_dev.local_pg import LocalCluster

    root = devstack.RUN_DIR / ("postgres" if flavor == "plain" else "postgres-timescaledb")
    pid_file = root / "data" / "postmaster.pid"
    if pid_file.exists():
        # postmaster.pid: pid, data directory, start time, port, ...
        port = int(pid_file.read_text().splitlines()[3])
        yield devstack.as_reader(f"postgresql://postgres@127.0.0.1:{port}/{LocalCluster.dbname}")
        return
    if not (root / "data" / "PG_VERSION").exists():
        raise SystemExit(f"No local stack in {root}: run scripts/run first, or set WAREHOUSE_DSN.")
    with devstack.warehouse(devstack.RUN_DIR, True, flavor) as (uri, _):
        yield devstack.as_reader(uri)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", type=_moment,
                        help="range start (ISO date/time, UTC unless given); default 7 days ago")
    parser.add_argument("--to", dest="end", type=_moment, help="range end; default now")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--timescaledb", action="store_true",
                        help="the local stack's TimescaleDB warehouse (scripts/run --timescaledb)")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="also write dashboards-<name>.png of each dashboard into DIR")
    args = parser.parse_args(argv)
    end = args.end or datetime.now(UTC).replace(microsecond=0)
    time_range = TimeRange(args.start or end - timedelta(days=7), end)
    if os.environ.get("WAREHOUSE_DSN"):
        out = write(os.environ["WAREHOUSE_DSN"], time_range, args.out)
    else:
        with local_stack_warehouse("timescale" if args.timescaledb else "plain") as uri:
            out = write(uri, time_range, args.out)
    print(f"Report written to {out}")
    if args.screenshots:
        for path in screenshot_sections(out, args.screenshots):
            print(f"Screenshot written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
