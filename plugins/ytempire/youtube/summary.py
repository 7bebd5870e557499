"""One run's totals from its mapped load tasks (`BatchResult.as_dict()` each): the last
step of `plan -> expand -> summarise`."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

TOTALS = ("received", "loaded", "quarantined")


def summarise(batches: Iterable[dict[str, Any]]) -> dict[str, Any]:
    batches = list(batches)
    results = [r for b in batches for r in b["results"]]
    failures = [f for b in batches for f in b["failures"]]
    counts: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    for r in results:
        counts.update(r["counts"])
        calls.update(r["api_calls"])
    summary = {
        "channels": len(results) + len(failures),
        "channels_loaded": sum(r["status"] == "loaded" for r in results),
        "channels_skipped": sum(r["status"] != "loaded" for r in results),
        "channels_synced": sum(r["synced"] for r in results),
        "channels_failed": sum(not f["reported"] for f in failures),
        "skipped_needs_reauthorisation": sorted(f["channel_id"] for f in failures if f["reported"]),
        **{k: sum(r[k] for r in results) for k in TOTALS},
        "counts": dict(sorted(counts.items())),
        "api_calls": dict(sorted(calls.items())),
    }
    units = sum(v for k, v in calls.items()
                if k.endswith(".list") and not k.startswith("reporting."))
    log.info("%d channel(s): %d loaded, %d skipped, %d synced, %d failed, %s skipped until "
             "re-authorised; rows received %d = loaded %d + quarantined %d; %s; API requests %s "
             "(%d Data API list request(s) = quota units)", summary["channels"],
             summary["channels_loaded"], summary["channels_skipped"], summary["channels_synced"],
             summary["channels_failed"], summary["skipped_needs_reauthorisation"] or "none",
             summary["received"], summary["loaded"], summary["quarantined"], summary["counts"],
             summary["api_calls"], units)
    return summary
