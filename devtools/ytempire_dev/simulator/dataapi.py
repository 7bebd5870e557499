"""YouTube Data API v3 list methods (channels, playlistItems, videos) over a World."""

from __future__ import annotations

import base64
import hashlib
import json

from .errors import ApiError, bad_request
from .world import Channel, Video, World, iso_z

MAX_IDS = 50
CHANNEL_PARTS = {"id", "snippet", "contentDetails", "statistics", "status"}
PLAYLIST_ITEM_PARTS = {"id", "snippet", "contentDetails", "status"}
VIDEO_PARTS = {"id", "snippet", "contentDetails", "statistics", "status"}


def etag(obj) -> str:
    digest = hashlib.sha1(json.dumps(obj, sort_keys=True, default=str).encode()).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def _parts(params: dict[str, str], allowed: set[str]) -> list[str]:
    raw = params.get("part")
    if not raw:
        raise bad_request(
            "Required parameter: part", reason="required", location="part", locationType="parameter"
        )
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    for p in parts:
        if p not in allowed:
            raise bad_request(
                p,
                reason="unknownPart",
                domain="youtube.part",
                location="part",
                locationType="parameter",
            )
    return parts


def _no_filter(expected: str) -> ApiError:
    return bad_request(
        f"No filter selected. Expected one of: {expected}",
        reason="missingRequiredParameter",
        domain="youtube.parameter",
    )


def _listing(
    kind: str,
    items: list[dict],
    per_page: int,
    total: int | None = None,
    omit_empty: bool = False,
    **tokens,
) -> dict:
    body = {"kind": kind, "etag": ""}
    body.update({k: v for k, v in tokens.items() if v})
    if items or not omit_empty:
        body["items"] = items
    body["pageInfo"] = {
        "totalResults": len(items) if total is None else total,
        "resultsPerPage": per_page,
    }
    body["etag"] = etag(body)
    return body


def _thumbnails(url: str) -> dict:
    return {"default": {"url": f"{url}/default.jpg", "width": 120, "height": 90}}


def _wrap(kind: str, ident: str, parts: list[str], sections: dict) -> dict:
    res = {"kind": kind, "etag": "", "id": ident}
    res.update({p: sections[p] for p in parts if p in sections})
    res["etag"] = etag(res)
    return res


def channel_resource(world: World, ch: Channel, parts: list[str]) -> dict:
    stats = world.channel_statistics(ch.id)
    return _wrap(
        "youtube#channel",
        ch.id,
        parts,
        {
            "snippet": {
                "title": ch.title,
                "description": ch.description,
                "customUrl": ch.handle,
                "publishedAt": iso_z(ch.published_at),
                "thumbnails": _thumbnails(f"https://yt3.ggpht.example/{ch.id}"),
                "localized": {"title": ch.title, "description": ch.description},
                "country": ch.country,
            },
            "contentDetails": {
                "relatedPlaylists": {"likes": "", "uploads": ch.uploads_playlist_id}
            },
            "statistics": {
                "viewCount": str(stats["viewCount"]),
                "subscriberCount": str(stats["subscriberCount"]),
                "hiddenSubscriberCount": False,
                "videoCount": str(stats["videoCount"]),
            },
            "status": {
                "privacyStatus": "public",
                "isLinked": True,
                "longUploadsStatus": "longUploadsUnspecified",
                "madeForKids": False,
            },
        },
    )


def channels_list(world: World, params: dict[str, str], token_channel: str) -> dict:
    parts = _parts(params, CHANNEL_PARTS)
    if params.get("id"):
        wanted = [i for i in params["id"].split(",") if i]
        if len(wanted) > MAX_IDS:
            raise bad_request(
                f"At most {MAX_IDS} ids per request.",
                reason="invalidParameter",
                domain="youtube.parameter",
            )
    elif params.get("mine") == "true":
        wanted = [token_channel]
    elif params.get("forHandle"):
        handle = "@" + params["forHandle"].lstrip("@").lower()
        wanted = [c.id for c in world.channels if c.handle == handle]
    else:
        raise _no_filter("forUsername, forHandle, mine, id")
    items = [
        channel_resource(world, world.channel(i), parts)
        for i in dict.fromkeys(wanted)
        if world.has_channel(i)
    ]
    # the real API leaves `items` out of an empty channel list
    return _listing("youtube#channelListResponse", items, 5, omit_empty=True)


def _page_token(offset: int) -> str:
    return "EAAa" + base64.urlsafe_b64encode(f"PT:{offset}".encode()).decode().rstrip("=")


def _page_offset(token: str) -> int:
    try:
        raw = token.removeprefix("EAAa")
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        if not token.startswith("EAAa") or not text.startswith("PT:"):
            raise ValueError(token)
        return int(text[3:])
    except ValueError:
        raise bad_request(
            "The request specifies an invalid page token.",
            reason="invalidPageToken",
            domain="youtube.parameter",
        ) from None


def _max_results(params: dict[str, str], default: int) -> int:
    raw = params.get("maxResults")
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) > MAX_IDS:
        raise bad_request(
            f"Invalid value '{raw}'. Values must be within the range: [0, 50]",
            reason="invalidParameter",
            location="maxResults",
            locationType="parameter",
        )
    return int(raw)


def playlist_item_resource(ch: Channel, v: Video, position: int, parts: list[str]) -> dict:
    ident = base64.b64encode(f"{ch.uploads_playlist_id}.{v.id}".encode()).decode()
    return _wrap(
        "youtube#playlistItem",
        ident,
        parts,
        {
            "snippet": {
                "publishedAt": iso_z(v.published_at),
                "channelId": ch.id,
                "title": v.title,
                "description": v.description,
                "thumbnails": _thumbnails(f"https://i.ytimg.example/vi/{v.id}"),
                "channelTitle": ch.title,
                "playlistId": ch.uploads_playlist_id,
                "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": v.id},
                "videoOwnerChannelTitle": ch.title,
                "videoOwnerChannelId": ch.id,
            },
            "contentDetails": {"videoId": v.id, "videoPublishedAt": iso_z(v.published_at)},
            "status": {"privacyStatus": "public"},
        },
    )


def playlist_items_list(world: World, params: dict[str, str], token_channel: str) -> dict:
    parts = _parts(params, PLAYLIST_ITEM_PARTS)
    playlist = params.get("playlistId")
    if not playlist:
        raise _no_filter("id, playlistId")
    per_page = _max_results(params, 5)
    offset = _page_offset(params["pageToken"]) if params.get("pageToken") else 0
    ch = world.channel_by_playlist(playlist)
    if ch is None:
        raise ApiError(
            404,
            "playlistNotFound",
            "The playlist identified with the request's <code>playlistId</code> "
            "parameter cannot be found.",
            domain="youtube.playlistItem",
            location="playlistId",
            locationType="parameter",
        )
    listed = world.uploads(ch.id)
    page = listed[offset : offset + per_page]
    items = [playlist_item_resource(ch, v, offset + i, parts) for i, v in enumerate(page)]
    more = offset + per_page < len(listed) and per_page > 0
    return _listing(
        "youtube#playlistItemListResponse",
        items,
        per_page,
        total=len(listed),
        nextPageToken=_page_token(offset + per_page) if more else None,
        prevPageToken=_page_token(max(offset - per_page, 0)) if offset else None,
    )


def live_snippet(world: World, v: Video) -> dict:
    """The snippet's writable fields now: the video's own until a videos.update replaced
    them all (fields it left out are gone, as on YouTube)."""
    edited = world.edits.snippet(v.id, world.clock)
    if edited is not None:
        return {"description": "", **edited}
    return {"title": v.title, "description": v.description, "tags": list(v.tags),
            "categoryId": v.category_id}


def thumbnail_base(world: World, video_id: str) -> str:
    digest = world.edits.thumbnail(video_id, world.clock)
    return f"{world.media_root}/vi/{video_id}" + (f"/{digest[:16]}" if digest else "")


def video_resource(world: World, v: Video, parts: list[str]) -> dict:
    ch = world.channel(v.channel_id)
    counters = world.counters(v.id, world.clock)
    live = live_snippet(world, v)
    snippet = {
        "publishedAt": iso_z(v.published_at),
        "channelId": ch.id,
        "title": live["title"],
        "description": live["description"],
        "thumbnails": _thumbnails(thumbnail_base(world, v.id)),
        "channelTitle": ch.title,
        "tags": list(live.get("tags") or []),
        "categoryId": live["categoryId"],
        "liveBroadcastContent": "none",
        "defaultAudioLanguage": "en",
        "localized": {"title": live["title"], "description": live["description"]},
    }
    if not snippet["tags"]:
        del snippet["tags"]  # absent, as on YouTube, when a video has none
    stats = {"viewCount": str(counters["views"])}
    if counters["likes"] is not None:
        stats["likeCount"] = str(counters["likes"])
    stats["favoriteCount"] = "0"
    if counters["comments"] is not None:
        stats["commentCount"] = str(counters["comments"])
    return _wrap(
        "youtube#video",
        v.id,
        parts,
        {
            "snippet": snippet,
            "contentDetails": {
                "duration": v.duration,
                "dimension": "2d",
                "definition": "hd",
                "caption": "false",
                "licensedContent": True,
                "contentRating": {},
                "projection": "rectangular",
            },
            "statistics": stats,
            "status": {
                "uploadStatus": "processed",
                "privacyStatus": "public",
                "license": "youtube",
                "embeddable": True,
                "publicStatsViewable": True,
                "madeForKids": False,
            },
        },
    )


def videos_list(world: World, params: dict[str, str], token_channel: str) -> dict:
    parts = _parts(params, VIDEO_PARTS)
    if not params.get("id"):
        raise _no_filter("chart, id, myRating")
    wanted = [i for i in params["id"].split(",") if i]
    if len(wanted) > MAX_IDS:
        raise bad_request(
            f"The request specifies {len(wanted)} video ids; at most {MAX_IDS} are allowed.",
            reason="invalidParameter",
            domain="youtube.parameter",
            location="id",
            locationType="parameter",
        )
    at = world.clock
    items = [
        video_resource(world, world.video(i), parts)
        for i in dict.fromkeys(wanted)
        if world.has_video(i) and world.video(i).available_at(at)
    ]
    return _listing("youtube#videoListResponse", items, len(items))


# YouTube's video categories as videoCategories.list answers them for regionCode=US
# (the assignable ones and a few that are not).
VIDEO_CATEGORIES = {
    "1": ("Film & Animation", True), "2": ("Autos & Vehicles", True), "10": ("Music", True),
    "15": ("Pets & Animals", True), "17": ("Sports", True), "18": ("Short Movies", False),
    "19": ("Travel & Events", True), "20": ("Gaming", True), "22": ("People & Blogs", True),
    "23": ("Comedy", True), "24": ("Entertainment", True), "25": ("News & Politics", True),
    "26": ("Howto & Style", True), "27": ("Education", True),
    "28": ("Science & Technology", True), "29": ("Nonprofits & Activism", True),
    "30": ("Movies", False), "44": ("Trailers", False),
}
YOUTUBE_CHANNEL_ID = "UCBR8-60-B28hp2BmDPdntcQ"


def video_categories_list(world: World, params: dict[str, str], token_channel: str) -> dict:
    parts = _parts(params, {"id", "snippet"})
    if params.get("id"):
        wanted = [i for i in params["id"].split(",") if i]
    elif params.get("regionCode"):
        wanted = list(VIDEO_CATEGORIES)
    else:
        raise _no_filter("id, regionCode")
    items = [
        _wrap("youtube#videoCategory", i, parts, {"snippet": {
            "title": VIDEO_CATEGORIES[i][0], "assignable": VIDEO_CATEGORIES[i][1],
            "channelId": YOUTUBE_CHANNEL_ID}})
        for i in dict.fromkeys(wanted) if i in VIDEO_CATEGORIES
    ]
    return _listing("youtube#videoCategoryListResponse", items, len(items))


# -- writes (50 units each) ------------------------------------------------------------------

MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024
THUMBNAIL_TYPES = {"image/jpeg", "image/png", "application/octet-stream"}


def _own_video(world: World, video_id: str | None, token_channel: str) -> Video:
    if not video_id or not world.has_video(video_id) or not world.video(video_id).available_at(
            world.clock):
        raise ApiError(404, "videoNotFound", "The video that you are trying to update cannot "
                       "be found.", domain="youtube.video")
    video = world.video(video_id)
    if video.channel_id != token_channel:
        raise ApiError(403, "forbidden", "The request is not properly authorized to update "
                       "the video.", domain="youtube.video")
    return video


def videos_update(world: World, params: dict[str, str], body: dict, token_channel: str) -> dict:
    """videos.update with part=snippet: the snippet written replaces every writable field."""
    if _parts(params, VIDEO_PARTS) != ["snippet"]:
        raise bad_request("This simulator updates part=snippet only.", reason="invalidPart")
    video = _own_video(world, body.get("id"), token_channel)
    snippet = body.get("snippet") or {}
    title = snippet.get("title")
    if not title or len(title) > 100 or "<" in title or ">" in title:
        raise bad_request("The request metadata specifies an invalid video title.",
                          reason="invalidTitle", domain="youtube.video")
    if snippet.get("categoryId") not in {k for k, (_, ok) in VIDEO_CATEGORIES.items() if ok}:
        raise bad_request("The request metadata specifies an invalid video category.",
                          reason="invalidCategoryId", domain="youtube.video")
    world.edits.update_snippet(video.id, world.clock, snippet)
    return video_resource(world, video, ["snippet"])


def thumbnails_set(world: World, params: dict[str, str], image: bytes, content_type: str,
                   token_channel: str) -> dict:
    """thumbnails.set as a simple (uploadType=media) upload of the image bytes."""
    video = _own_video(world, params.get("videoId"), token_channel)
    if content_type.split(";")[0].strip() not in THUMBNAIL_TYPES or not image:
        raise bad_request("The thumbnail image is not a JPEG or PNG image.",
                          reason="invalidImage", domain="youtube.thumbnail")
    if len(image) > MAX_THUMBNAIL_BYTES:
        raise bad_request("The thumbnail image file is too large.", reason="mediaBodyTooLarge",
                          domain="youtube.thumbnail")
    world.edits.set_thumbnail(video.id, world.clock, image)
    return {"kind": "youtube#thumbnailSetResponse", "etag": etag(image.hex()),
            "items": [_thumbnails(thumbnail_base(world, video.id))]}
