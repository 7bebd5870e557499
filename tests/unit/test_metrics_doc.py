"""docs/metrics.md is what the metric dictionary generates; panel descriptions come
from the dictionary."""

import re

import pytest

from ytempire_dev import dashboards, metrics, metrics_doc


def test_docs_metrics_md_is_current():
    assert metrics_doc.DOC.read_text() == metrics_doc.render(metrics.load()), (
        "docs/metrics.md is out of date: run python -m ytempire_dev.metrics_doc"
    )


def test_every_metric_is_complete_and_names_columns():
    for metric in metrics.load().metrics.values():
        assert metric.name and metric.definition and metric.unit and metric.grain, metric.key
        assert metric.columns, f"{metric.key} names no column"
        assert all(c.count(".") in (1, 2) for c in metric.columns), metric.key


def test_an_entry_without_a_field_or_with_an_unknown_caveat_is_refused():
    entry = {f: [] for f in metrics.FIELDS} | {"name": "n", "definition": "d", "unit": "u",
                                               "grain": "g"}
    with pytest.raises(ValueError, match="lacks unit"):
        metrics.parse({"caveats": {}, "metrics": {"m": {k: v for k, v in entry.items()
                                                         if k != "unit"}}})
    with pytest.raises(ValueError, match="unknown caveats"):
        metrics.parse({"caveats": {}, "metrics": {"m": entry | {"caveats": ["lag"]}}})


def test_panel_description_carries_definition_unit_and_caveats():
    text = metrics.panel_description("pooled_roi", "total_revenue")
    assert text.startswith("Pooled ROI: 100 * sum(profit) / sum(total cost)")
    assert "Unit: percent." in text and "Unit: USD (cents stored)." in text
    assert "YouTube reports a day about 2-3 days later" in text
    with pytest.raises(KeyError):
        metrics.panel_description("cpm")


def test_every_panel_named_by_the_dictionary_exists_and_describes_its_metrics():
    panels = dashboards.panels_by_name()
    shown: dict[str, list[str]] = {}
    for metric in metrics.load().metrics.values():
        for name in metric.panels:
            assert name in panels, f"{metric.key} names {name!r}, not a generated panel"
            shown.setdefault(name, []).append(metric.key)
    for name, panel in panels.items():
        keys = shown.get(name)
        assert keys, f"{name}: no dictionary entry names this panel"
        description = panel.get("description", "")
        for key in keys:
            assert metrics.panel_description(key) in description, (name, key)
        # one "Unit:" per metric: the panel describes no metric the dictionary doesn't list
        assert description.count(" Unit: ") == len(keys), name
    assert len(panels) == 13




def test_the_dashboards_guide_links_to_metric_entries_that_exist():
    anchors = {metrics_doc._anchor(m) for m in metrics.load().metrics.values()}
    text = (metrics_doc.DOC.parent / "dashboards.md").read_text()
    linked = set(re.findall(r"\(metrics\.md#([^)]+)\)", text))
    assert linked and linked <= anchors, sorted(linked - anchors)
