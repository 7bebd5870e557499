"""The metric dictionary (include/metrics.yaml): loading it, and a metric's text for a
dashboard panel's description.

    from ytempire_dev.metrics import panel_description
    panel["description"] = panel_description("pooled_roi")
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ytempire.settings import REPO_ROOT

METRICS_FILE = REPO_ROOT / "include" / "metrics.yaml"
FIELDS = ("name", "definition", "unit", "grain", "sources", "shown_in", "panels", "caveats")


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    definition: str
    unit: str
    grain: str
    sources: tuple[str, ...]
    shown_in: tuple[str, ...]
    panels: tuple[str, ...]
    caveats: tuple[str, ...]
    note: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column it names: `analytics.<relation>.<column>` or `<query>.<column>`."""
        return self.sources + self.shown_in


@dataclass(frozen=True)
class Dictionary:
    caveats: dict[str, str]
    metrics: dict[str, Metric]

    def caveat_texts(self, metric: Metric) -> list[str]:
        return [self.caveats[key] for key in metric.caveats]


def parse(data: dict) -> Dictionary:
    """The dictionary from its YAML data; a missing field or unknown caveat raises."""
    caveats = dict(data["caveats"])
    metrics = {}
    for key, entry in data["metrics"].items():
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            raise ValueError(f"metric {key!r} lacks {', '.join(missing)}")
        unknown = [c for c in entry["caveats"] if c not in caveats]
        if unknown:
            raise ValueError(f"metric {key!r} names unknown caveats {unknown}")
        lists = {f: tuple(entry[f]) for f in ("sources", "shown_in", "panels", "caveats")}
        metrics[key] = Metric(key=key, name=entry["name"], definition=entry["definition"],
                              unit=entry["unit"], grain=entry["grain"],
                              note=entry.get("note", ""), **lists)
    return Dictionary(caveats, metrics)


@cache
def load(path: Path = METRICS_FILE) -> Dictionary:
    return parse(yaml.safe_load(path.read_text()))


def panel_description(*keys: str) -> str:
    """A panel's description (Grafana shows it on hover) from the metrics it shows:
    each metric's definition, unit and caveats, in plain text."""
    dictionary = load()
    parts = []
    for key in keys:
        metric = dictionary.metrics[key]
        text = f"{metric.name}: {metric.definition} Unit: {metric.unit}."
        if metric.note:
            text += f" {metric.note}"
        parts.append(" ".join([text, *dictionary.caveat_texts(metric)]))
    return "\n\n".join(parts)
