"""What videos.update and thumbnails.set change, and the true effect of each variant.

Every edit is kept with the instant it took effect (the world's clock), so the snippet
and thumbnail shown at any past instant can be asked for. A test registers the true
effect of a title or a thumbnail image as a CTR multiplier (`set_true_effect`); the
reach of a Pacific day then uses the multiplier of whatever was shown, each hour weighted
by the video's expected views in it. Titles and thumbnails without a registered effect
(the video's own among them) have a multiplier of 1.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from datetime import datetime, timedelta

SNIPPET_FIELDS = ("title", "description", "tags", "categoryId", "defaultLanguage")


def image_digest(image: bytes) -> str:
    return hashlib.sha256(image).hexdigest()


def original_image(video_id: str) -> bytes:
    """The video's own thumbnail: a few deterministic bytes standing in for a JPEG."""
    return b"\xff\xd8\xff\xe0" + f"original thumbnail of {video_id}".encode() + b"\xff\xd9"


class VideoEdits:
    def __init__(self):
        self._snippets: dict[str, list[tuple[datetime, dict]]] = {}
        self._thumbnails: dict[str, list[tuple[datetime, str]]] = {}
        self.images: dict[str, bytes] = {}
        self.effects: dict[tuple[str, str, str], float] = {}

    def set_true_effect(self, video_id: str, ctr_multiplier: float, title: str | None = None,
                        image: bytes | None = None) -> None:
        if (title is None) == (image is None):
            raise ValueError("give a title or an image")
        key = ("title", title) if title is not None else ("thumbnail", image_digest(image))
        self.effects[(video_id, *key)] = ctr_multiplier

    def update_snippet(self, video_id: str, at: datetime, fields: dict) -> None:
        self._snippets.setdefault(video_id, []).append(
            (at, {k: fields[k] for k in SNIPPET_FIELDS if k in fields}))

    def set_thumbnail(self, video_id: str, at: datetime, image: bytes) -> str:
        digest = image_digest(image)
        self.images[digest] = image
        self._thumbnails.setdefault(video_id, []).append((at, digest))
        return digest

    def snippet(self, video_id: str, at: datetime) -> dict | None:
        """The fields the last update before `at` wrote (None: never updated)."""
        return _as_of(self._snippets.get(video_id), at)

    def thumbnail(self, video_id: str, at: datetime) -> str | None:
        """Digest of the custom thumbnail shown at `at` (None: the video's own)."""
        return _as_of(self._thumbnails.get(video_id), at)

    def history(self, video_id: str) -> list[tuple[datetime, str, str]]:
        """(instant, 'title' | 'thumbnail', title or digest) of every edit, in order."""
        out = [(at, "title", f["title"]) for at, f in self._snippets.get(video_id, [])]
        out += [(at, "thumbnail", d) for at, d in self._thumbnails.get(video_id, [])]
        return sorted(out)

    def multiplier_at(self, video_id: str, at: datetime) -> float:
        snippet, thumb = self.snippet(video_id, at), self.thumbnail(video_id, at)
        m = self.effects.get((video_id, "title", snippet["title"]), 1.0) if snippet else 1.0
        return m * (self.effects.get((video_id, "thumbnail", thumb), 1.0) if thumb else 1.0)

    def ctr_multiplier(self, video_id: str, hourly_rates: list[tuple[datetime, float]]) -> float:
        """The day's multiplier: each hour's (at its middle) weighted by its expected views."""
        if not hourly_rates:
            return 1.0
        weight = sum(rate for _, rate in hourly_rates)
        if weight <= 0:
            return self.multiplier_at(video_id, hourly_rates[0][0])
        half = timedelta(minutes=30)
        return sum(rate * self.multiplier_at(video_id, hour + half)
                   for hour, rate in hourly_rates) / weight


def _as_of(history: list | None, at: datetime):
    if not history:
        return None
    index = bisect_right([when for when, _ in history], at)
    return history[index - 1][1] if index else None
