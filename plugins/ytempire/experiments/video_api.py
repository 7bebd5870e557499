"""The Data API calls an experiment makes: read the live snippet, write a title back with
the whole snippet (videos.update replaces every writable field: leaving description,
tags or category out would erase them), upload a thumbnail (thumbnails.set), and fetch
thumbnail images to keep.

Each call's answer carries YouTube's own time (the HTTP Date header): the instant a
switch took effect is recorded from it, not from this machine's clock.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from googleapiclient.http import MediaInMemoryUpload

from ytempire import settings
from ytempire.youtube.client import YouTubeClient, YouTubeError, client_for
from ytempire.youtube.runner import channel_error

READ_UNITS, WRITE_UNITS = 1, 50
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


@dataclass(frozen=True)
class LiveVideo:
    snippet: dict[str, Any] | None  # None: YouTube does not return the video
    at: datetime  # YouTube's time of the answer

    @property
    def found(self) -> dict[str, Any]:
        if self.snippet is None:
            raise ValueError("YouTube does not return the video")
        return self.snippet

    @property
    def title(self) -> str:
        return str(self.found["title"])

    @property
    def thumbnail_url(self) -> str | None:
        thumbs = self.found.get("thumbnails") or {}
        for size in ("maxres", "standard", "high", "medium", "default"):
            if (thumbs.get(size) or {}).get("url"):
                return str(thumbs[size]["url"])
        return None


def execute(client: YouTubeClient, request: Any) -> Any:
    """One request with Google's retries; what still fails as the channel's `YouTubeError`
    (the loads' failure policy: `ytempire.youtube.runner.channel_error`)."""
    try:
        return request.execute(num_retries=settings.CLIENT_RETRIES)
    except Exception as err:
        error = channel_error(client.channel_id, err)
        if error is None or error is err:
            raise
        raise error from err


def read_video(client: YouTubeClient, video_id: str) -> LiveVideo:
    """The video's snippet now, and YouTube's time."""
    answer = execute(client, client.data.videos().list(part="snippet", id=video_id))
    items = answer.get("items") or []
    return LiveVideo(items[0]["snippet"] if items else None, client.answered_at())


def write_title(client: YouTubeClient, video_id: str, live: LiveVideo, title: str) -> datetime:
    """videos.update with the live snippet and only the title changed; returns when
    YouTube answered."""
    snippet = {k: v for k, v in live.found.items()
               if k in ("title", "description", "tags", "categoryId", "defaultLanguage")}
    snippet["title"] = title
    request = client.data.videos().update(part="snippet",
                                          body={"id": video_id, "snippet": snippet})
    execute(client, request)
    return client.answered_at()


def set_thumbnail(client: YouTubeClient, video_id: str, image: bytes, mime: str) -> datetime:
    request = client.data.thumbnails().set(
        videoId=video_id, media_body=MediaInMemoryUpload(image, mimetype=mime))
    root = client.api_root
    if root and not request.uri.startswith(root):
        # the upload root comes from the discovery document and stays https://...;
        # a stand-in's api_root is where every request must go
        request.uri = root + request.uri[len(_origin(request.uri)):]
    execute(client, request)
    return client.answered_at()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def image_type(data: bytes) -> str | None:
    return next((mime for magic, mime in IMAGE_TYPES.items() if data.startswith(magic)), None)


def fetch_image(url: str | None, channel_id: str) -> tuple[bytes, str]:
    """A thumbnail image from an http(s) or file URL, checked (JPEG or PNG, at most 2 MB)."""
    if url is None:
        raise YouTubeError(channel_id, "bad_thumbnail", "no thumbnail URL", retryable=False)
    if urlsplit(url).scheme not in ("http", "https", "file"):
        raise YouTubeError(channel_id, "bad_thumbnail", f"{url!r}: not an http(s) or file URL",
                           retryable=False)
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (scheme checked)
            data = answer.read(MAX_IMAGE_BYTES + 1)
    except OSError as err:
        raise YouTubeError(channel_id, "bad_thumbnail", f"{url!r}: {err}", retryable=False) from err
    mime = image_type(data)
    if mime is None or len(data) > MAX_IMAGE_BYTES:
        raise YouTubeError(channel_id, "bad_thumbnail",
                           f"{url!r}: not a JPEG or PNG image of at most 2 MB", retryable=False)
    return data, mime


def experiment_client(experiment: Any) -> YouTubeClient:
    """The client of the experiment's channel, allowed to change its videos."""
    return client_for(experiment.channel_id, experiment.conn_id, write=True)
