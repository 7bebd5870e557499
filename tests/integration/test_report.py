"""scripts/report's HTML, opened in a real headless Chromium (Debian's /usr/bin/chromium
driven by playwright; no browser download): every panel of both dashboards drew (a chart
element per chart panel, a value per stat), the file needs no network, and the page logs
no console errors. A screenshot is saved next to the report (docs/report.png is one)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_dashboard_panels import build_world, local

from ytempire_dev import report
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR
from ytempire_dev.grafana_sql import TimeRange

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def dashboard_titles() -> list[str]:
    titles = []
    for name in DASHBOARDS:
        titles += [p["title"] for p in json.loads((DASHBOARDS_DIR / name).read_text())["panels"]]
    return titles


@pytest.mark.only_path("plain")
def test_the_report_draws_every_panel_in_chromium(warehouse, warehouse_dsn, tmp_path):
    """One path: the report runs the same panel SQL the panel test checks on both paths;
    this test is about the page, not the numbers."""
    assert CHROMIUM.is_file(), "Debian's chromium is needed (scripts/bootstrap installs it as root)"
    from playwright.sync_api import sync_playwright

    world = build_world(warehouse)
    out = report.write(warehouse_dsn,
                       TimeRange(local(world.day(6), 10, 30), local(world.day(1), 14, 15)),
                       tmp_path / "report.html")
    text = out.read_text()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", text), "no network"

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            sections = page.locator("section.panel")
            assert sections.count() == len(dashboard_titles())
            drawn = {}
            for i in range(sections.count()):
                section = sections.nth(i)
                kind = section.get_attribute("data-panel-kind")
                title = section.get_attribute("data-panel")
                if kind == "chart":
                    section.locator(".main-svg").first.wait_for(timeout=15_000)
                    drawn[title] = section.locator(".main-svg").count()
                elif kind == "stat":
                    value = section.locator("[data-stat-value]").inner_text()
                    assert value and value != "No data", title
                    drawn[title] = value
                else:
                    drawn[title] = section.locator("table.data tbody tr").count()
                    assert drawn[title] > 0, title
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert all(drawn.values()), drawn
    assert (tmp_path / "report.png").stat().st_size > 10_000
