"""Deterministic YouTube world: channels, videos, counters, daily analytics, reach.

Two worlds share one set of dynamics (`dynamics`: weekly rhythm, trend, launch decay,
viral spikes, overdispersed noise around a known true mean):

    World(seed, channels, videos_per_channel, start)   # the small test world: fixed edge
        # cases (SQL-injection and unicode titles, a shared title, hidden likes, disabled
        # comments, deleted and private videos, spam corrections, forced half-cent revenue)
    World.demo(seed, start)                            # the demo network (`demo`): 12
        # channels in 9 niches, uploads every few days for months, realistic titles

Everything is a pure function of (seed, start, sizes) plus the settable clock, which only
decides what is *visible* (published, removed, ready), never the numbers themselves. So a
test can ask for the figures a loader should have loaded, at any instant, without HTTP.

Realised figures (what YouTube reports):
- `counters(video_id, at)`: lifetime views, likes, comments at `at` (the Data API);
- `daily(video_id, day)`, `channel_daily(channel_id, day)`: the Analytics API's figures of a
  Pacific day (revenue in Decimal dollars for monetised channels);
- `reach(video_id, day)`: thumbnail impressions and clicks (`.ctr`) of a Pacific day.

True means (the expectation the realised figures are drawn around):
- `expected_hourly_views(video_id, hour)`: expected views in the hour starting at `hour`;
- `expected_daily(video_id, day)`, `channel_expected(channel_id, day)`: `Expected(views,
  revenue)`, revenue in dollars (0 for unmonetised channels);
- `reach(...)`: `.expected_impressions`, `.expected_ctr`.
The true means leave out only the noise: they include each video's viral day, which
`spikes()` lists (a forecaster cannot foresee one; compare on the other days where that
matters). The parameters behind them are public on `Channel` (niche, weekly,
growth_per_day, rpm, ...) and `Video` (peak_rate, launch_hours, ctr, spike_day, spike_size,
...). Only the test world's spam corrections move a realised day away from its draw.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from .dynamics import (
    HOUR,
    PACIFIC,
    REVENUE_NOISE_SHAPE,
    Dynamics,
    Reach,
    VideoSeries,
    gamma1,
    hour_floor,
    pacific_date,
    pacific_day_bounds,
    utc,
)
from .edits import VideoEdits

# re-exported: the rest of the simulator reads the calendar from here
__all__ = ["HOUR", "PACIFIC", "Channel", "Correction", "Expected", "Reach", "Spike", "Video",
           "World", "aggregate", "iso_duration", "iso_z", "pacific_date", "pacific_day_bounds",
           "utc"]

MILLI = Decimal("0.001")
_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

SQL_TITLE = "Robert'); DROP TABLE analytics.dim_video;--"
SQL_TAG = "'; DROP TABLE analytics.fact_video_performance;--"
UNICODE_TITLE = "Café ☕ & 東京 — “quotes”, <b>tags</b> and emoji 🎮"

# The test world's topics with YTEMPIRE's niche and the content type of their videos.
_TOPICS = {
    "Tech Deals": ("technology", "news"),
    "Budget Kitchen": ("food", "educational"),
    "Retro Gaming": ("gaming", "entertainment"),
    "Space Facts": ("science", "educational"),
    "Lo-fi Study": ("music", "entertainment"),
    "Home Workshop": ("diy", "educational"),
    "Travel Hacks": ("travel", "entertainment"),
    "Finance Basics": ("finance", "educational"),
    "Garden Lab": ("gardening", "educational"),
    "Pixel Art": ("art", "entertainment"),
}
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
_CATEGORIES = ["22", "24", "26", "27", "28", "20", "10"]
# weekly rhythms, Monday first, mean 1: work-week audiences and weekend audiences
WEEKDAY_AUDIENCE = (1.07, 1.08, 1.07, 1.04, 0.99, 0.86, 0.89)
WEEKEND_AUDIENCE = (0.93, 0.92, 0.93, 0.96, 1.04, 1.12, 1.10)


def _channel_category(channel_index: int, drawn: str, video_index: int) -> str:
    return drawn if video_index == 0 else _CATEGORIES[channel_index * 3 % len(_CATEGORIES)]


def iso_z(dt: datetime) -> str:
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
    return out + (f"{s}S" if s or out == "PT" else "")


def scaled_rhythm(shape: tuple[float, ...], amplitude: float) -> tuple[float, ...]:
    """A weekly rhythm `amplitude` times as strong as `shape` (still mean 1)."""
    return tuple(round(1 + amplitude * (w - 1), 4) for w in shape)


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
    niche: str = "general"  # YTEMPIRE's classification (YouTube has none)
    content_type: str = "entertainment"  # the content system's video_type of its videos
    # audience dynamics (docs in `dynamics`)
    weekly: tuple[float, ...] = field(default=(1.0,) * 7, repr=False)
    growth_per_day: float = field(default=0.0, repr=False)
    diurnal_shift: int = field(default=0, repr=False)
    day_noise_cv: float = field(default=0.1, repr=False)
    tail_days: float = field(default=45.0, repr=False)
    rpm: float = field(default=4.0, repr=False)  # dollars per 1,000 views when monetised

    @property
    def refresh_token(self) -> str:
        return f"refresh-{self.id}"

    @property
    def uploads_playlist_id(self) -> str:
        return "UU" + self.id[2:]

    @property
    def trend(self) -> str:
        return ("growing" if self.growth_per_day > 0 else
                "declining" if self.growth_per_day < 0 else "flat")


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
    peak_rate: float = field(default=100.0, repr=False)  # expected views per hour when new
    launch_hours: float = field(default=36.0, repr=False)
    like_ratio: float = field(default=0.04, repr=False)
    comment_ratio: float = field(default=0.005, repr=False)
    noise_cv: float = field(default=0.25, repr=False)  # the video's own day-to-day noise
    ctr: float = field(default=0.05, repr=False)  # expected thumbnail click-through rate
    browse_share: float = field(default=0.7, repr=False)  # views from thumbnail impressions
    spike_day: int | None = field(default=None, repr=False)  # days after publishing
    spike_size: float = field(default=1.0, repr=False)

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


@dataclass(frozen=True)
class Expected:
    """True means of a Pacific day: views, and revenue in dollars."""

    views: float
    revenue: float


@dataclass(frozen=True)
class Spike:
    video_id: str
    day: date
    size: float


class Ids:
    """Unique YouTube-shaped ids from one generator."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def new(self, prefix: str, n: int, last: str) -> str:
        while True:
            ident = prefix + "".join(self.rng.choice(_URLSAFE) for _ in range(n - 1))
            ident += self.rng.choice(last)
            if ident not in self.used:
                self.used.add(ident)
                return ident

    def channel(self) -> str:
        return self.new("UC", 22, "AQgw")

    def video(self) -> str:
        return self.new("", 11, "AEIMQUYcgkosw048")


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
        self._setup(seed, start, ready_lag)
        self.corrections: list[Correction] = []
        self._forced_revenue: dict[tuple[str, date], tuple[int, int]] = {}
        self._index(*self._test_catalog(channels, videos_per_channel))

    @classmethod
    def demo(cls, seed: int = 7, start: datetime | None = None,
             ready_lag: timedelta = timedelta(days=2)) -> World:
        """The demo network (`simulator.demo`): what the local stack shows."""
        from .demo import demo_catalog

        world = cls.__new__(cls)
        world._setup(seed, start, ready_lag)
        world.corrections, world._forced_revenue = [], {}
        world._index(*demo_catalog(world.seed, world.start))
        return world

    def _setup(self, seed: int, start: datetime | None, ready_lag: timedelta) -> None:
        if start is None:
            start = hour_floor(datetime.now(UTC))
        self.seed = seed
        self.start = utc(start)
        self.ready_lag = ready_lag
        self._clock = self.start
        self._lock = threading.Lock()
        self.dynamics = Dynamics(seed, pacific_date(self.start))
        self.edits = VideoEdits()  # videos.update / thumbnails.set, true effects (`edits`)
        self.media_root = "https://i.ytimg.example"  # where thumbnails are served

    def _index(self, channels: list[Channel], videos: list[Video]) -> None:
        self.channels, self.videos = channels, videos
        self._channels = {c.id: c for c in channels}
        self._videos = {v.id: v for v in videos}
        self._by_channel: dict[str, list[Video]] = {c.id: [] for c in channels}
        for v in videos:
            self._by_channel[v.channel_id].append(v)
        self._series: dict[str, VideoSeries] = {}
        self._drops: dict[str, list[tuple[datetime, int]]] = {}

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
        vids = [v for v in self._by_channel[channel_id] if v.available_at(at)]
        return sorted(vids, key=lambda v: (v.published_at, v.id), reverse=True)

    # -- counters -------------------------------------------------------------

    def _series_of(self, video: Video) -> VideoSeries:
        series = self._series.get(video.id)
        if series is None:
            series = self._series[video.id] = VideoSeries(
                self.dynamics, video, self._channels[video.channel_id])
        return series

    def _raw(self, video: Video, at: datetime) -> tuple[int, int, int]:
        """Lifetime counters at `at` (the hour boundary at or before it), corrections in."""
        if video.removed_at is not None and at > video.removed_at:
            at = video.removed_at
        if at < video.published_at:
            return 0, 0, 0
        hour = hour_floor(at)
        with self._lock:
            series = self._series_of(video)
            views, likes, comments = series.at(hour)
            return views - self._dropped(video, series, hour), likes, comments

    def _dropped(self, video: Video, series: VideoSeries, hour: datetime) -> int:
        """Views removed by spam corrections up to `hour`: each replaces its hour's
        increment by the removal of 35 % of the views before it."""
        drops = self._drops.get(video.id)
        if drops is None:
            drops, total = [], 0
            for at in sorted(c.at for c in self.corrections if c.video_id == video.id):
                before = series.at(at - HOUR)[0]
                gain = series.at(at)[0] - before
                drop = gain + max(1, (before - total) * 35 // 100)
                total += drop
                drops.append((at, drop))
            self._drops[video.id] = drops
        return sum(drop for at, drop in drops if at <= hour)

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
        channel = self._channels[video.channel_id]
        if channel.monetized:
            out["estimatedRevenue"], out["estimatedAdRevenue"] = self._revenue(
                video, channel, day, views, rng)
        return out

    def _revenue(self, video: Video, channel: Channel, day: date, views: int,
                 rng: random.Random) -> tuple[Decimal, Decimal]:
        # thousandths of a dollar: views x RPM / 1000 dollars, with noise of mean 1
        total = int(views * channel.rpm * gamma1(rng, REVENUE_NOISE_SHAPE) + rng.random())
        ad = int(total * rng.uniform(0.6, 0.95) + rng.random())
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

    # -- true means and reach --------------------------------------------------

    def expected_hourly_views(self, video_id: str, hour: datetime) -> float:
        """Expected views of the video in the hour starting at `hour` (0 while it is not out)."""
        video = self._videos[video_id]
        hour = hour_floor(utc(hour))
        if not video.available_at(hour + HOUR - timedelta(microseconds=1)):
            return 0.0
        rates = self.dynamics.hourly_rates(video, self._channels[video.channel_id],
                                           pacific_date(hour))
        return next((rate for start, rate in rates if start == hour), 0.0)

    def expected_daily(self, video_id: str, day: date) -> Expected:
        """True means of the video's Pacific day (0 where it has no data that day; on the
        day it is removed, the hours before that)."""
        video = self._videos[video_id]
        channel = self._channels[video.channel_id]
        if not video.has_data_on(day):
            return Expected(0.0, 0.0)
        if video.removed_at is not None and video.removed_at < pacific_day_bounds(day)[1]:
            views = sum(rate for hour, rate in self.dynamics.hourly_rates(video, channel, day)
                        if hour + HOUR <= video.removed_at)
        else:
            views = self.dynamics.expected_day(video, channel, day)
        return Expected(views, views * channel.rpm / 1000 if channel.monetized else 0.0)

    def channel_expected(self, channel_id: str, day: date) -> Expected:
        """True means of the channel's Pacific day: the sum over its videos."""
        days = [self.expected_daily(v.id, day) for v in self._by_channel[channel_id]]
        return Expected(sum(e.views for e in days), sum(e.revenue for e in days))

    def reach(self, video_id: str, day: date) -> Reach:
        """Thumbnail impressions and clicks of the video's Pacific day, with true means;
        the CTR carries the true effect of the titles and thumbnails shown that day."""
        video = self._videos[video_id]
        channel = self._channels[video.channel_id]
        multiplier = self.edits.ctr_multiplier(
            video_id, self.dynamics.hourly_rates(video, channel, day)
        ) if self.edits.effects else 1.0
        return self.dynamics.reach(video, channel, day,
                                   self.expected_daily(video_id, day).views, multiplier)

    def spikes(self) -> list[Spike]:
        """Every video's viral day (its views `size` times their mean that day, then
        halving every `dynamics.SPIKE_HALF_LIFE_DAYS`)."""
        return [Spike(v.id, pacific_date(v.published_at) + timedelta(days=v.spike_day),
                      v.spike_size) for v in self.videos if v.spike_day is not None]

    # -- the test world -----------------------------------------------------------

    def _test_catalog(self, n_channels: int, n_videos: int) -> tuple[list, list]:
        rng = random.Random(f"ytsim:{self.seed}:world")
        ids = Ids(rng)
        topics = rng.sample(list(_TOPICS), len(_TOPICS))
        channels: list[Channel] = []
        grid: list[list[Video]] = []
        for ci in range(n_channels):
            base_topic = topics[ci % len(topics)]
            topic = base_topic + (f" {ci // len(topics) + 1}" if ci >= 10 else "")
            cid = ids.channel()
            title = f"YTEmpire {topic}"
            niche, content_type = _TOPICS[base_topic]
            audience = random.Random(f"ytsim:{self.seed}:audience:{cid}")
            channels.append(
                Channel(
                    id=cid,
                    index=ci,
                    title=title,
                    handle="@" + title.lower().replace(" ", "").replace("-", ""),
                    description=f"Automated {topic.lower()} videos.",
                    published_at=self.start - timedelta(days=rng.randint(400, 2000)),
                    subscriber_count=rng.randint(1_000, 500_000),
                    monetized=ci != 1,
                    niche=niche,
                    content_type=content_type,
                    weekly=scaled_rhythm(audience.choice([WEEKDAY_AUDIENCE, WEEKEND_AUDIENCE]),
                                         audience.uniform(0.6, 1.2)),
                    growth_per_day=audience.choice([-0.004, 0.0, 0.004]),
                    tail_days=365,  # old videos keep a steady audience: days rarely shrink
                    rpm=audience.uniform(1, 8),
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
                vid = ids.video()
                row.append(
                    Video(
                        id=vid,
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
                        ctr=audience.uniform(0.02, 0.09),
                        browse_share=audience.uniform(0.5, 0.85),
                    )
                )
            grid.append(row)
        self._apply_specials(grid)
        return channels, [v for row in grid for v in row]

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
        hour = hour_floor(s)
        if get(0, 0):
            self.corrections.append(Correction(grid[0][0].id, hour + timedelta(hours=31)))
        old = get(2, 1) or get(0, 1)
        if old:
            self.corrections.append(Correction(old.id, hour - timedelta(hours=71)))
        forced_day = pacific_date(s) - timedelta(days=4)
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
    """Sum daily figures; averageViewDuration weighted by views (one row keeps its own)."""
    out = {k: sum(r[k] for r in rows) for k in METRIC_KEYS if k != "averageViewDuration"}
    views = out["views"]
    watched_seconds = sum(r["views"] * r["averageViewDuration"] for r in rows)
    out["averageViewDuration"] = (watched_seconds + views // 2) // views if views else 0
    if monetized:
        for k in REVENUE_KEYS:
            out[k] = sum((r[k] for r in rows), Decimal(0))
    return {k: out[k] for k in (*METRIC_KEYS, *(REVENUE_KEYS if monetized else ()))}
