"""Runbook links for Slack alerts: every alert names its runbook, docs/runbooks/<name>.md,
under the configured base URL (`YTEMPIRE_RUNBOOK_BASE_URL`)."""

from __future__ import annotations

from ytempire import settings

# Quality check classes use their class name (ytempire.quality.checks.CLASSES).
TASK_FAILURE = "task_failure"
QUOTA_EXHAUSTED = "quota_exhausted"
REAUTHORISATION = "reauthorisation"
FORECASTS = "forecasts"


def runbook_url(name: str, base: str | None = None) -> str:
    return f"{(base or settings.RUNBOOK_BASE_URL).rstrip('/')}/{name}.md"


def runbook_line(name: str, base: str | None = None) -> str:
    """Slack mrkdwn: a link where the base is a URL, the path itself otherwise."""
    url = runbook_url(name, base)
    shown = url if "://" not in url else f"<{url}|{name}.md>"
    return f"*Runbook:* {shown}"


def runbooks_of(exception: BaseException | None,
                default: tuple[str, ...] = (TASK_FAILURE,)) -> tuple[str, ...]:
    """The runbooks a task failure names (set by the code that raised it), else the
    default (the generic one, or the DAG's own)."""
    return tuple(getattr(exception, "runbooks", ())) or default
