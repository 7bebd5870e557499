"""docs/metrics.md from the metric dictionary (include/metrics.yaml).

    python -m ytempire_dev.metrics_doc          # rewrite docs/metrics.md
    python -m ytempire_dev.metrics_doc --check  # exit 1 when it is out of date
"""

from __future__ import annotations

import argparse
import sys

from ytempire.settings import REPO_ROOT
from ytempire_dev.metrics import Dictionary, Metric, load

DOC = REPO_ROOT / "docs" / "metrics.md"

HEADER = """\
# Metrics

Generated from `include/metrics.yaml` by `python -m ytempire_dev.metrics_doc`: edit the
dictionary, not this file (`tests/unit/test_metrics_doc.py` fails when they differ).
A column is `analytics.<table, view or function>.<column>`, or `<query>.<column>` for a
query in `include/sql/queries/`.
"""


def _code_list(items: tuple[str, ...]) -> str:
    return ", ".join(f"`{i}`" for i in items) if items else "-"


def _section(metric: Metric) -> list[str]:
    lines = [
        f"### {metric.name} (`{metric.key}`)",
        "",
        " ".join(metric.definition.split()),
        "",
        f"- **Unit:** {metric.unit}",
        f"- **Grain:** {metric.grain}",
        f"- **Sources:** {_code_list(metric.sources)}",
        f"- **Shown in:** {_code_list(metric.shown_in)}",
        f"- **Panels:** {', '.join(metric.panels) or '-'}",
        f"- **Caveats:** {', '.join(f'[{c}](#caveat-{c})' for c in metric.caveats) or '-'}",
    ]
    if metric.note:
        lines.append(f"- **Note:** {' '.join(metric.note.split())}")
    return [*lines, ""]


def render(dictionary: Dictionary) -> str:
    lines = [HEADER, "| metric | key | unit | grain |", "|---|---|---|---|"]
    lines += [f"| [{m.name}](#{_anchor(m)}) | `{m.key}` | {m.unit} | {m.grain} |"
              for m in dictionary.metrics.values()]
    lines += ["", "## Definitions", ""]
    for metric in dictionary.metrics.values():
        lines += _section(metric)
    lines += ["## Caveats", ""]
    for key, text in dictionary.caveats.items():
        lines += [f'<a id="caveat-{key}"></a>**{key}**: {" ".join(text.split())}', ""]
    return "\n".join(lines).rstrip() + "\n"


def _anchor(metric: Metric) -> str:
    """GitHub's anchor of the metric's heading."""
    heading = f"{metric.name} ({metric.key})".lower()
    kept = "".join(c for c in heading if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/metrics.md is stale")
    args = parser.parse_args(argv)
    text = render(load())
    if args.check:
        if DOC.read_text() != text:
            print(f"{DOC} is out of date: python -m ytempire_dev.metrics_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
