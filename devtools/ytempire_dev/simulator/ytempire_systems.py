"""YTEMPIRE's own systems, played by the simulated world: the content system's
costs and video types, the channels' niches (the world's own classification of its
channels), and sponsorship and affiliate payments.

Everything is a pure function of the world (seed, channels, videos), like the
world's own figures, so a test can compute what the local stack writes. Each
event says when it happened (`at`: a cost's timestamp, a payment's day) and when
it reaches the warehouse (`arrives_at`); some arrive days late, channel costs
carry no video id, and one payment is sent twice with the same external_ref.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .world import PACIFIC, Channel, Video, World, pacific_date

LATE_BY = timedelta(days=3)
SOURCE = "ytempire-local"
SPONSORED_FROM = 10_000  # subscribers: smaller channels get no sponsorships
AFFILIATE_NICHES = {"technology", "food", "diy", "travel", "finance", "gaming"}


@dataclass(frozen=True)
class Cost:
    ref: str
    video_id: str | None
    channel_id: str
    cost_type: str
    cents: int
    at: datetime
    arrives_at: datetime


@dataclass(frozen=True)
class Payment:
    external_ref: str
    video_id: str
    day: date
    kind: str
    cents: int
    arrives_at: datetime


def niche(channel: Channel) -> str:
    return channel.niche


def video_type(world: World, video: Video) -> str | None:
    """The content system's label; None for the first video of each channel, made
    before the content system labelled its videos (its type comes from the category)."""
    if video.index == 0:
        return None
    return world.channel(video.channel_id).content_type


def _rng(world: World, *key) -> random.Random:
    return random.Random(":".join(map(str, ("ytempire", world.seed, *key))))


def making_costs(world: World, video: Video) -> list[Cost]:
    """ai_generation and voice_synthesis when the video is made (hours before it is
    published), about $0.40-0.50 together; every seventh video's costs arrive late."""
    rng = _rng(world, "making", video.id)
    made = video.published_at - timedelta(hours=rng.randint(2, 20))
    ai = rng.randint(30, 36)
    voice = rng.randint(40, 50) - ai
    late = LATE_BY if rng.randrange(7) == 0 else timedelta(0)
    return [Cost(f"make:{video.id}:{kind}", video.id, video.channel_id, kind, cents, made,
                 made + late)
            for kind, cents in (("ai_generation", ai), ("voice_synthesis", voice))]


def channel_costs(world: World, channel: Channel, day: date) -> list[Cost]:
    """Daily API calls and, on the 1st, the month's infrastructure: channel id only."""
    rng = _rng(world, "channel", channel.id, day.isoformat())
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=PACIFIC)
    late = LATE_BY if rng.randrange(10) == 0 else timedelta(0)
    costs = [Cost(f"api:{channel.id}:{day}", None, channel.id, "api_calls", rng.randint(8, 30),
                  noon, noon + timedelta(hours=13) + late)]
    if day.day == 1:
        costs.append(Cost(f"infra:{channel.id}:{day:%Y-%m}", None, channel.id, "infrastructure",
                          rng.randint(1200, 3000), noon, noon + timedelta(hours=13)))
    return costs


def payments(world: World, video: Video, day: date) -> list[Payment]:
    """A sponsorship on some of an established channel's publish days (its size sets the
    fee); affiliate sales on some days of videos that link products, in proportion to the
    day's views."""
    if not video.has_data_on(day):
        return []
    rng = _rng(world, "partner", video.id, day.isoformat())
    paid = datetime(day.year, day.month, day.day, tzinfo=PACIFIC) + timedelta(days=1, hours=9)
    subscribers = world.channel(video.channel_id).subscriber_count
    out = []
    if (day == pacific_date(video.published_at) and subscribers >= SPONSORED_FROM
            and rng.randrange(5) == 0):
        fee = min(max(int(subscribers * rng.uniform(0.05, 0.15)), 5_000), 80_000)
        out.append(Payment(f"sponsor:{video.id}", video.id, day, "sponsorship", fee, paid))
    if niche(world.channel(video.channel_id)) in AFFILIATE_NICHES and rng.randrange(8) == 0:
        cents = int(world.daily(video.id, day)["views"] * rng.uniform(0.1, 0.6))
        if cents > 0:
            out.append(Payment(f"affiliate:{video.id}:{day}", video.id, day, "affiliate", cents,
                               paid + timedelta(hours=rng.randint(0, 30))))
    return out


def resent(world: World, sent: list[Payment]) -> list[Payment]:
    """The first affiliate payment of the window sent again a day later (same external_ref)."""
    first = next((p for p in sorted(sent, key=lambda p: (p.day, p.external_ref))
                  if p.kind == "affiliate"), None)
    return [] if first is None else [
        Payment(first.external_ref, first.video_id, first.day, first.kind, first.cents,
                first.arrives_at + timedelta(days=1))]


def events(world: World, first: date, last: date) -> tuple[list[Cost], list[Payment]]:
    """Every cost and payment of the Pacific days first .. last (whenever they arrive)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    costs = [c for v in world.videos for c in making_costs(world, v) if first <= pacific_date(c.at)
             <= last]
    costs += [c for ch in world.channels for d in days for c in channel_costs(world, ch, d)]
    paid = [p for v in world.videos for d in days for p in payments(world, v, d)]
    return costs, paid + resent(world, paid)
