"""Deterministic YouTube world: channels, videos, counters and daily analytics.

Everything is a pure function of (seed, sizes, start) plus the settable clock,
which only decides what is *visible* (published, removed, ready), never the
numbers themselves. So a test can ask the world for the figures a loader
should have loaded, at any instant, without HTTP.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
HOUR = timedelta(hours=1)
MILLI = Decimal("0.001")
_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

SQL_TITLE = "Robert'); DROP TABLE analytics.dim_video;--"
SQL_TAG = "'; DROP TABLE analytics.fact_video_performance;--"
UNICODE_TITLE = "Café ☕ & 東京 — “quotes”, <b>tags</b> and emoji 🎮"

_TOPICS = [
    "Tech Deals",
    "Budget Kitchen",
    "Retro Gaming",
    "Space Facts",
    "Lo-fi Study",
    "Home Workshop",
    "Travel Hacks",
    "Finance Basics",
    "Garden Lab",
    "Pixel Art",
]
_THINGS = [
    "air fryers",
    "mechanical keyboards",
    "index funds",
    "sourdough",
    "Mars rovers",
    "standing desks",
    "budget phones",
    "cast iron pans",
    "solar panels",
    "retro consoles",
]
_ADJS = ["surprising", "underrated", "honest", "cheap", "weird", "essential", "overpriced"]
_PATTERNS = [
    "{n} {adj} facts about {thing}",
    "I tried {thing} for 30 days",
    "Why {thing} are {adj}",
    "The {adj} truth about {thing}",
    "{thing}: a beginner's guide ({year})",
    "Ranking {n} {thing} from worst to best",
]
# audience by UTC hour: quiet around 08:00 UTC (night in the Americas), busy around 20:00
_DIURNAL = [1 + 0.5 * math.sin(2 * math.pi * (h - 20) / 24) for h in range(24)]
_CATEGORIES = ["22", "24", "26", "27", "28", "20", "10"]


def _channel_category(channel_index: int, drawn: str, video_index: int) -> str:
    return drawn if video_index == 0 else _CATEGORIES[channel_index * 3 % len(_CATEGORIES)]


def utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (UTC)")
    return dt.astimezone(UTC)


def pacific_day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC [start, end) of a Pacific-time day (23 or 25 hours around DST)."""
    start = datetime(day.year, day.month, day.day, tzinfo=PACIFIC)
    nxt = day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=PACIFIC)
    return start.astimezone(UTC), end.astimezone(UTC)


def pacific_date(at: datetime) -> date:
    return utc(at).astimezone(PACIFIC).date()


def iso_z(dt: datetime) -> str:
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
    return out + (f"{s}S" if s or out == "PT" else "")


@dataclass(frozen=True)
class Channel:
    id: str
    index: int
    title: str
    handle: str
    description: str
    published_at: datetime
    subscriber_count: int
    monetized: bool
    country: str = "US"

    @property
    def refresh_token(self) -> str:
        return f"refresh-{self.id}"

    @property
    def uploads_playlist_id(self) -> str:
        return "UU" + self.id[2:]


@dataclass(frozen=True)
class Video:
    id: str
    channel_id: str
    index: int
    title: str
    description: str
    published_at: datetime
    duration_seconds: int
    tags: tuple[str, ...]
    category_id: str
    comments_disabled: bool = False
    # likes hidden on [likes_hidden_from, likes_hidden_until); until None = for good
    likes_hidden_from: datetime | None = None
    likes_hidden_until: datetime | None = None
    removed_at: datetime | None = None
    removal: str | None = None  # "deleted" | "private"
    peak_rate: float = field(default=100.0, repr=False)  # views per hour when new
    like_ratio: float = field(default=0.04, repr=False)
    comment_ratio: float = field(default=0.005, repr=False)

    @property
    def duration(self) -> str:
        return iso_duration(self.duration_seconds)

    def likes_hidden_at(self, at: datetime) -> bool:
        if self.likes_hidden_from is None or at < self.likes_hidden_from:
            return False
        return self.likes_hidden_until is None or at < self.likes_hidden_until

    def available_at(self, at: datetime) -> bool:
        """Listed by videos.list / playlistItems.list at instant `at`."""
        return self.published_at <= at and (self.removed_at is None or at < self.removed_at)

    def has_data_on(self, day: date) -> bool:
        """Analytics returns a row for this video and Pacific day."""
        start, end = pacific_day_bounds(day)
        return self.published_at < end and (self.removed_at is None or self.removed_at > start)


@dataclass(frozen=True)
class Correction:
    """Spam-view removal: the views counter is lower from `at` on than just before."""

    video_id: str
    at: datetime


class _Series:
    """Cumulative counters at hour boundaries since the video's publish hour."""

    def __init__(self, video: Video, seed: int, correction_hours: set[int]):
        self.video = video
        self.base = video.published_at.replace(minute=0, second=0, microsecond=0)
        self.rng = random.Random(f"ytsim:{seed}:series:{video.id}")
        self.corrections = correction_hours
        self.views = [0]
        self.likes = [0]
        self.comments = [0]

    def extend(self, k: int) -> None:
        v, rand, views, likes, comments = (
            self.video,
            self.rng.random,
            self.views,
            self.likes,
            self.comments,
        )
        like_ratio = v.like_ratio
        comment_ratio = 0.0 if v.comments_disabled else v.comment_ratio
        while len(views) <= k:
            i = len(views) - 1  # hour i covers [base + i h, base + (i+1) h)
            r1, r2, r3 = rand(), rand(), rand()
            if i in self.corrections:
                dv, dl, dc = -max(1, views[-1] * 35 // 100), 0, 0
            else:
                rate = v.peak_rate * (0.12 + 0.88 * math.exp(-i / 36))
                rate *= _DIURNAL[(self.base.hour + i) % 24]
                if i == 0:
                    rate *= (self.base + HOUR - v.published_at) / HOUR
                dv = int(rate * (0.6 + 0.8 * r1) + r2)
                dl = int(dv * like_ratio + r3) if dv > 0 else 0
                dc = int(dv * comment_ratio + r2) if dv > 0 else 0
            views.append(views[-1] + dv)
            likes.append(likes[-1] + dl)
            comments.append(comments[-1] + dc)

    def at(self, at: datetime) -> tuple[int, int, int]:
        if at < self.video.published_at:
            return 0, 0, 0
        k = (at - self.base) // HOUR
        self.extend(k)
        return self.views[k], self.likes[k], self.comments[k]


class World:
    """The simulated YouTube. `start` anchors generation; `clock` is "now"."""

    def __init__(
        self,
        seed: int = 7,
        channels: int = 3,
        videos_per_channel: int = 5,
        start: datetime | None = None,
        ready_lag: timedelta = timedelta(days=2),
    ):
        if start is None:
            start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        self.seed = seed
        self.start = utc(start)
        self.ready_lag = ready_lag
        self._clock = self.start
        self._lock = threading.Lock()
        self.channels: list[Channel] = []
        self.videos: list[Video] = []
        self.corrections: list[Correction] = []
        self._generate(channels, videos_per_channel)
        self._channels = {c.id: c for c in self.channels}
        self._videos = {v.id: v for v in self.videos}
        self._by_channel: dict[str, list[Video]] = {c.id: [] for c in self.channels}
        for v in self.videos:
            self._by_channel[v.channel_id].append(v)
        self._series: dict[str, _Series] = {}

    # -- clock and readiness -------------------------------------------------

    @property
    def clock(self) -> datetime:
        return self._clock

    def set_clock(self, at: datetime) -> None:
        self._clock = utc(at)

    def advance(self, delta: timedelta) -> datetime:
        self._clock = self._clock + delta
        return self._clock

    def last_ready_day(self, at: datetime | None = None) -> date:
        """Newest Pacific day D with end(D) + ready_lag <= at."""
        at = self._clock if at is None else utc(at)
        return pacific_date(at - self.ready_lag) - timedelta(days=1)

    def is_ready(self, day: date, at: datetime | None = None) -> bool:
        return day <= self.last_ready_day(at)

    # -- lookups --------------------------------------------------------------

    def channel(self, channel_id: str) -> Channel:
        return self._channels[channel_id]

    def video(self, video_id: str) -> Video:
        return self._videos[video_id]

    def has_channel(self, channel_id: str) -> bool:
        return channel_id in self._channels

    def has_video(self, video_id: str) -> bool:
        return video_id in self._videos

    def channel_by_refresh_token(self, token: str) -> Channel | None:
        return next((c for c in self.channels if c.refresh_token == token), None)

    def channel_by_playlist(self, playlist_id: str) -> Channel | None:
        return next((c for c in self.channels if c.uploads_playlist_id == playlist_id), None)

    def videos_of(self, channel_id: str) -> list[Video]:
        """Every video of the channel, whatever its visibility."""
        return list(self._by_channel[channel_id])

    def uploads(self, channel_id: str, at: datetime | None = None) -> list[Video]:
        """What the uploads playlist lists at `at`: available videos, newest first."""
        at = self._clock if at is None else utc(at)
        vids = [v for v in self.videos_of(channel_id) if v.available_at(at)]
        return sorted(vids, key=lambda v: (v.published_at, v.id), reverse=True)

    # -- counters -------------------------------------------------------------

    def _raw(self, video: Video, at: datetime) -> tuple[int, int, int]:
        if video.removed_at is not None and at > video.removed_at:
            at = video.removed_at
        with self._lock:
            series = self._series.get(video.id)
            if series is None:
                hours = {
                    (c.at - video.published_at.replace(minute=0, second=0, microsecond=0)) // HOUR
                    - 1
                    for c in self.corrections
                    if c.video_id == video.id
                }
                series = self._series[video.id] = _Series(video, self.seed, hours)
            return series.at(at)

    def counters(self, video_id: str, at: datetime) -> dict:
        """Lifetime public counters at `at`: likes/comments None when hidden/disabled."""
        video = self._videos[video_id]
        at = utc(at)
        views, likes, comments = self._raw(video, at)
        return {
            "views": views,
            "likes": None if video.likes_hidden_at(at) else likes,
            "comments": None if video.comments_disabled else comments,
        }

    def channel_statistics(self, channel_id: str, at: datetime | None = None) -> dict:
        at = self._clock if at is None else utc(at)
        listed = self.uploads(channel_id, at)
        return {
            "viewCount": sum(self._raw(v, at)[0] for v in listed),
            "subscriberCount": self._channels[channel_id].subscriber_count,
            "videoCount": len(listed),
        }

    # -- daily analytics ------------------------------------------------------

    def daily(self, video_id: str, day: date) -> dict:
        """YouTube Analytics figures of one video for one Pacific day.

        Revenue keys only for monetised channels (Decimal dollars, 3 decimals).
        """
        video = self._videos[video_id]
        start, end = pacific_day_bounds(day)
        v0, l0, c0 = self._raw(video, start)
        v1, l1, c1 = self._raw(video, end)
        views, likes, comments = max(v1 - v0, 0), max(l1 - l0, 0), max(c1 - c0, 0)
        rng = random.Random(f"ytsim:{self.seed}:daily:{video_id}:{day.isoformat()}")
        dislikes = int(likes * rng.uniform(0.01, 0.08) + rng.random())
        shares = int(views * rng.uniform(0.002, 0.012) + rng.random()) if views else 0
        avd = int(video.duration_seconds * rng.uniform(0.25, 0.65)) if views else 0
        out = {
            "views": views,
            "likes": likes,
            "dislikes": dislikes,
            "comments": comments,
            "shares": shares,
            "estimatedMinutesWatched": (views * avd + 30) // 60,
            "averageViewDuration": avd,
        }
        if self._channels[video.channel_id].monetized:
            out["estimatedRevenue"], out["estimatedAdRevenue"] = self._revenue(
                video, day, views, rng
            )
        return out

    def _revenue(self, video: Video, day: date, views: int, rng) -> tuple[Decimal, Decimal]:
        total = views * rng.randint(1, 8) + rng.randint(0, 999)  # thousandths of a dollar
        ad = total * rng.randint(55, 95) // 100
        if rng.random() < 0.3:  # half cents, so rounding half-up is exercised
            total = total // 10 * 10 + 5
        if rng.random() < 0.3:
            ad = min(ad // 10 * 10 + 5, total)
        forced = self._forced_revenue.get((video.id, day))
        if forced:
            total, ad = forced
        if views == 0:
            total = ad = 0
        return Decimal(total) * MILLI, Decimal(ad) * MILLI

    def has_data(self, video_id: str, day: date) -> bool:
        return self._videos[video_id].has_data_on(day)

    def channel_has_data(self, channel_id: str, day: date) -> bool:
        return any(v.has_data_on(day) for v in self.videos_of(channel_id))

    def channel_daily(self, channel_id: str, day: date) -> dict:
        """Sum over the channel's videos that have data that day (revenue exact)."""
        rows = [self.daily(v.id, day) for v in self.videos_of(channel_id) if v.has_data_on(day)]
        return aggregate(rows, self._channels[channel_id].monetized)

    # -- generation -----------------------------------------------------------

    def _generate(self, n_channels: int, n_videos: int) -> None:
        rng = random.Random(f"ytsim:{self.seed}:world")
        used: set[str] = set()

        def new_id(prefix: str, n: int, last: str) -> str:
            while True:
                ident = prefix + "".join(rng.choice(_URLSAFE) for _ in range(n - 1))
                ident += rng.choice(last)
                if ident not in used:
                    used.add(ident)
                    return ident

        topics = rng.sample(_TOPICS, len(_TOPICS))
        grid: list[list[Video]] = []
        for ci in range(n_channels):
            topic = topics[ci % len(topics)] + (f" {ci // len(topics) + 1}" if ci >= 10 else "")
            cid = new_id("UC", 22, "AQgw")
            title = f"YTEmpire {topic}"
            self.channels.append(
                Channel(
                    id=cid,
                    index=ci,
                    title=title,
                    handle="@" + title.lower().replace(" ", "").replace("-", ""),
                    description=f"Automated {topic.lower()} videos.",
                    published_at=self.start - timedelta(days=rng.randint(400, 2000)),
                    subscriber_count=rng.randint(1_000, 500_000),
                    monetized=ci != 1,
                )
            )
            row = []
            for vi in range(n_videos):
                thing = rng.choice(_THINGS)
                vtitle = rng.choice(_PATTERNS).format(
                    n=rng.randint(3, 15), adj=rng.choice(_ADJS), thing=thing, year=self.start.year
                )
                age = timedelta(days=rng.randint(7, 60), seconds=rng.randint(0, 86399))
                if vi == 0:
                    age += timedelta(days=14)  # an old video, well into its tail
                row.append(
                    Video(
                        id=new_id("", 11, "AEIMQUYcgkosw048"),
                        channel_id=cid,
                        index=vi,
                        title=vtitle,
                        description=f"{vtitle}\n\n#{thing.replace(' ', '')}",
                        published_at=self.start - age,
                        duration_seconds=rng.choice(
                            [rng.randint(30, 59), rng.randint(120, 1500), rng.randint(3600, 5400)]
                        ),
                        tags=tuple(
                            rng.sample(
                                [
                                    thing,
                                    topic.lower(),
                                    "ytempire",
                                    "howto",
                                    "review",
                                    str(self.start.year),
                                ],
                                rng.randint(0, 4),
                            )
                        ),
                        # a channel publishes in its own category; the old video anywhere
                        category_id=_channel_category(ci, rng.choice(_CATEGORIES), vi),
                        peak_rate=rng.uniform(30, 600),
                        like_ratio=rng.uniform(0.02, 0.06),
                        comment_ratio=rng.uniform(0.002, 0.01),
                    )
                )
            grid.append(row)
        self._apply_specials(grid)
        self.videos = [v for row in grid for v in row]

    def _apply_specials(self, grid: list[list[Video]]) -> None:
        """Fixed positions for the edge cases, so every seed has them."""
        s = self.start

        def edit(ci: int, vi: int, **changes) -> None:
            if ci < len(grid) and vi < len(grid[ci]):
                grid[ci][vi] = replace(grid[ci][vi], **changes)

        def get(ci: int, vi: int) -> Video | None:
            return grid[ci][vi] if ci < len(grid) and vi < len(grid[ci]) else None

        if get(0, 1):
            edit(0, 2, title=grid[0][1].title)  # two videos, one title
        edit(0, 2, likes_hidden_from=datetime(2005, 1, 1, tzinfo=UTC))
        if get(0, 3):
            edit(0, 3, title=SQL_TITLE, tags=(*grid[0][3].tags, SQL_TAG), comments_disabled=True)
        edit(1, 0, comments_disabled=True)
        edit(1, 1, removed_at=s + timedelta(hours=26), removal="deleted")
        edit(1, 2, likes_hidden_from=s + timedelta(hours=6), likes_hidden_until=s + 18 * HOUR)
        edit(2, 0, removed_at=s + timedelta(hours=40), removal="private")
        edit(2, 1, title=UNICODE_TITLE)
        # published after the start: they appear as the clock advances
        if grid and len(grid[0]) >= 2:
            edit(0, len(grid[0]) - 1, published_at=s + timedelta(hours=5, minutes=17))
        if len(grid) > 1 and len(grid[1]) >= 4:
            edit(1, len(grid[1]) - 1, published_at=s + timedelta(hours=28, minutes=3))
        hour = s.replace(minute=0, second=0, microsecond=0)
        if get(0, 0):
            self.corrections.append(Correction(grid[0][0].id, hour + timedelta(hours=31)))
        old = get(2, 1) or get(0, 1)
        if old:
            self.corrections.append(Correction(old.id, hour - timedelta(hours=71)))
        forced_day = pacific_date(s) - timedelta(days=4)
        self._forced_revenue = {}
        if get(0, 0):
            self._forced_revenue[(grid[0][0].id, forced_day)] = (2675, 125)
        if get(0, 1):
            self._forced_revenue[(grid[0][1].id, forced_day)] = (125, 125)


METRIC_KEYS = (
    "views",
    "likes",
    "dislikes",
    "comments",
    "shares",
    "estimatedMinutesWatched",
    "averageViewDuration",
)
REVENUE_KEYS = ("estimatedRevenue", "estimatedAdRevenue")


def aggregate(rows: list[dict], monetized: bool) -> dict:
    """Sum daily figures; averageViewDuration weighted by views (watch time / views)."""
    out = {k: sum(r[k] for r in rows) for k in METRIC_KEYS if k != "averageViewDuration"}
    views = out["views"]
    watched_seconds = out["estimatedMinutesWatched"] * 60
    out["averageViewDuration"] = (watched_seconds + views // 2) // views if views else 0
    if monetized:
        for k in REVENUE_KEYS:
            out[k] = sum((r[k] for r in rows), Decimal(0))
    return {k: out[k] for k in (*METRIC_KEYS, *(REVENUE_KEYS if monetized else ()))}
