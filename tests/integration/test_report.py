"""scripts/report's HTML, opened in a real headless Chromium (Debian's /usr/bin/chromium
driven by playwright; no browser download): every panel of every dashboard drew (a chart
element per chart panel, a value per stat), the file needs no network, and the page logs
no console errors, on the awkward test data of test_dashboard_panels. The report after a
first run of the demo world (docs/report.png and docs/dashboards-*.png are its pictures)
is checked in test_first_run.py."""

from __future__ import annotations

import json
import re
from datetime import UTC
from pathlib import Path

import pytest
from test_dashboard_panels import build_world, local
from test_experiment_panels import build_experiments

from ytempire_dev import report
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR
from ytempire_dev.grafana_sql import TimeRange

CHROMIUM = report.CHROMIUM
CHROMIUM_ARGS = report.CHROMIUM_ARGS


def dashboard_titles() -> list[str]:
    titles = []
    for name in DASHBOARDS:
        titles += [p["title"] for p in json.loads((DASHBOARDS_DIR / name).read_text())["panels"]]
    return titles


def check_in_chromium(report_html: Path, screenshot: Path, *, allow_no_data: bool = False) -> dict:
    """Open the report in headless Chromium: what each panel drew, by title."""
    assert CHROMIUM.is_file(), "Debian's chromium is needed (scripts/bootstrap installs it as root)"
    from playwright.sync_api import sync_playwright

    text = report_html.read_text()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", text), "no network"
    errors: list[str] = []
    drawn: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            # Nothing may come from the network: every request to it fails loudly.
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(report_html.as_uri())
            page.wait_for_load_state("load")
            sections = page.locator("section.panel")
            assert sections.count() == len(dashboard_titles())
            for i in range(sections.count()):
                section = sections.nth(i)
                kind = section.get_attribute("data-panel-kind")
                title = section.get_attribute("data-panel")
                if kind == "chart":
                    section.locator(".main-svg").first.wait_for(timeout=15_000)
                    drawn[title] = section.locator(".main-svg").count()
                elif kind == "stat":
                    value = section.locator(".stat-value").inner_text()
                    assert value and (allow_no_data or value != "No data"), title
                    drawn[title] = value
                else:
                    drawn[title] = section.locator("table.data tbody tr").count()
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert screenshot.stat().st_size > 10_000
    return drawn


@pytest.mark.only_path("plain")
def test_the_report_draws_every_panel_in_chromium(warehouse, warehouse_dsn, tmp_path):
    """One path: the report runs the same panel SQL the panel test checks on both paths;
    this test is about the page, not the numbers."""
    world = build_world(warehouse)
    build_experiments(warehouse, local(world.day(6), 0).astimezone(UTC))
    out = report.write(warehouse_dsn,
                       TimeRange(local(world.day(6), 10, 30), local(world.day(1), 14, 15)),
                       tmp_path / "report.html")
    drawn = check_in_chromium(out, tmp_path / "report.png")
    assert all(drawn.values()), drawn
    shots = report.screenshot_sections(out, tmp_path)
    assert [p.name for p in shots] == ["dashboards-executive.png", "dashboards-channels.png",
                                       "dashboards-experiments.png"]
    assert all(p.stat().st_size > 10_000 for p in shots)
