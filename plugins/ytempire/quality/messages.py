"""Slack messages for quality alerts and recoveries (no I/O).

Every message has a plain `text` (the notification line) and Block Kit `blocks`
within Slack's limits: at most 50 blocks (these use at most 6), section texts of at
most 3,000 characters, header texts of at most 150. Rows are capped and the total
is always stated; each message links its class's runbook. Only result rows and run
metadata go in: never connection details.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ytempire.quality import alerts
from ytempire.quality.checks import REGISTRY, CheckClass, Registry
from ytempire.runbooks import runbook_line

MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
# Room left under the section limit for the fences and the "more rows" line.
_SECTION_BUDGET = MAX_SECTION_TEXT - 200
MAX_LINE = 300
MAX_VALUE = 80

_ICON = {
    alerts.ALERT: ":rotating_light:",
    alerts.CHANGED: ":rotating_light:",
    alerts.REMINDER: ":bell:",
    alerts.RECOVERY: ":white_check_mark:",
}


@dataclass(frozen=True)
class RunInfo:
    dag_id: str
    run_id: str
    task_id: str
    logical_time: datetime
    url: str


def escape(text: str) -> str:
    """Slack mrkdwn control characters; backticks would end a code block."""
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("`", "'")
    )


def format_time(value: datetime | None) -> str:
    if value is None:
        return "never"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None and "T" in value:
            return format_time(parsed)
        text = " ".join(value.split())
    elif isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def row_line(row: Mapping, columns: Sequence[str]) -> str:
    details = row.get("details") or {}
    parts = [str(row["check_key"]), str(row["status"])]
    parts += [f"{c}={format_value(details[c])}" for c in columns if c in details]
    line = "  ".join(parts)
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def rows_section(
    title: str, lines: Sequence[str], total: int, max_rows: int
) -> dict:
    """A section listing at most `max_rows` lines within the section limit."""
    shown: list[str] = []
    used = len(title) + 10
    for line in lines[:max_rows]:
        text = escape(line)
        if used + len(text) + 1 > _SECTION_BUDGET:
            break
        shown.append(text)
        used += len(text) + 1
    header = f"*{escape(title)}* ({len(shown)} of {total} shown)" if len(shown) < total else (
        f"*{escape(title)}* ({total})"
    )
    body = "```\n" + "\n".join(shown) + "\n```" if shown else "_none shown_"
    return _section(f"{header}\n{body}")


def _section(text: str) -> dict:
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _header(text: str) -> dict:
    if len(text) > MAX_HEADER_TEXT:
        text = text[: MAX_HEADER_TEXT - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _context(run: RunInfo) -> dict:
    link = f"<{run.url}|Airflow run {escape(run.run_id)}>"
    return {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": f"{escape(run.dag_id)} · {escape(run.task_id)} · {link} · "
                f"logical time {format_time(run.logical_time)}",
            }
        ],
    }


def _triple_line(triple: tuple[str, str, str]) -> str:
    check, key, status = triple
    return f"{key}  {status}  ({check})"


def _statuses(rows: Iterable[Mapping]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def alert_message(
    cls: CheckClass,
    rows: Sequence[Mapping],
    decision: alerts.Decision,
    run: RunInfo,
    max_rows: int,
    registry: Registry = REGISTRY,
) -> dict:
    """An alert, a changed condition or a reminder for one failing class."""
    statuses = "/".join(sorted({r["status"] for r in rows}))
    lead = {
        alerts.ALERT: "failing",
        alerts.CHANGED: "still failing, condition changed",
        alerts.REMINDER: "reminder: still failing",
    }[decision.kind]
    summary = (
        f"{_ICON[decision.kind]} [{cls.severity.upper()}] {cls.title} {statuses}: "
        f"{len(rows)} row(s) {lead} ({run.dag_id}, {format_time(run.logical_time)})"
    )
    what = [
        f"*What failed:* {escape(cls.title)}: {_statuses(rows)}",
        f"*Severity:* {escape(cls.severity)}",
        f"*Rule:* {escape(cls.rule)}",
        runbook_line(cls.name),
    ]
    if decision.kind != alerts.ALERT:
        what.append(f"*Failing since:* {format_time(decision.episode_started_at)}")
    if decision.kind == alerts.REMINDER:
        what.append(f"_Unchanged since the last message ({escape(decision.reason)})._")
    blocks = [
        _header(f"{cls.title}: {statuses}"),
        _section("\n".join(what)),
        rows_section(
            "Rows",
            [row_line(r, registry.columns_for(r["check_name"])) for r in rows],
            len(rows),
            max_rows,
        ),
    ]
    if decision.kind == alerts.CHANGED:
        if decision.new:
            new = [_triple_line(t) for t in sorted(decision.new)]
            blocks.append(rows_section("New since the last message", new, len(new), max_rows))
        if decision.cleared:
            cleared = [_triple_line(t) for t in sorted(decision.cleared)]
            blocks.append(rows_section("No longer failing", cleared, len(cleared), max_rows))
    blocks.append(_context(run))
    return {"text": summary, "blocks": blocks}


def recovery_message(
    cls: CheckClass,
    decision: alerts.Decision,
    run: RunInfo,
    max_rows: int,
) -> dict:
    """One message when a class that alerted passes again."""
    summary = (
        f"{_ICON[alerts.RECOVERY]} Resolved: {cls.title} passes again "
        f"(failing since {format_time(decision.episode_started_at)}; {run.dag_id})"
    )
    cleared = [_triple_line(t) for t in sorted(decision.cleared)]
    blocks = [
        _header(f"Resolved: {cls.title}"),
        _section(
            f"*Recovered:* {escape(cls.title)}: no {'/'.join(sorted(cls.alerting))} result "
            f"in this run.\n*Failing since:* {format_time(decision.episode_started_at)}\n"
            + runbook_line(cls.name)
        ),
        rows_section("Failing before", cleared, len(cleared), max_rows),
        _context(run),
    ]
    return {"text": summary, "blocks": blocks}
