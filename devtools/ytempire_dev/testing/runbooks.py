"""Test helper: the runbook files a Slack message's runbook lines point to."""

from __future__ import annotations

import re
from pathlib import Path

from ytempire import settings

RUNBOOK_DIR = settings.REPO_ROOT / "docs" / "runbooks"
_LINK = re.compile(r"\*Runbook:\* <?([^|>\s]+)")


def message_text(message: dict) -> str:
    """Everything a person reads in a message: its text and its blocks' texts."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [element.get("text", "") for element in block.get("elements", [])]
    return "\n".join(parts)


def linked_runbooks(text: str, base: str | None = None) -> list[Path]:
    """The files under docs/runbooks that the runbook links in `text` name; a link
    outside the base URL raises."""
    base = (base or settings.RUNBOOK_BASE_URL).rstrip("/") + "/"
    paths = []
    for url in _LINK.findall(text):
        if not url.startswith(base):
            raise ValueError(f"runbook link {url!r} is not under {base!r}")
        paths.append(RUNBOOK_DIR / url[len(base):])
    return paths
