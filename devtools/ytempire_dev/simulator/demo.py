"""The demo network: twelve automated channels in nine niches, as the local stack shows them.

Each channel has a plan (`PLANS`): its niche and the content type of its videos, monetised or
not (a young channel and a travel channel are not in the Partner Program), its trend
(growing, flat, declining), weekly rhythm (work-week or weekend audiences), upload schedule
(fixed weekdays or every few days, from five evergreen spans (at least 200 days) before the
world's start, so that the catalogue's tail is settled, or from its launch for the young
channel, to 120 days after it), size (steady-state views a day), RPM and
subscribers. Titles are drawn from per-niche templates. Videos vary in size (log-normal),
launch decay and click-through rate; about one in thirty has a viral day.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .dynamics import LAUNCH_SHARE, PACIFIC, pacific_date
from .world import WEEKDAY_AUDIENCE, WEEKEND_AUDIENCE, Channel, Ids, Video, scaled_rhythm

MIN_HISTORY_DAYS = 200
TAIL_SPANS = 5  # uploads start this many evergreen spans back: older videos add almost nothing
FUTURE_DAYS = 120
SPIKE_CHANCE = 0.035
PEAK_SPREAD = 0.35  # sigma of the log-normal spread of a channel's video sizes


@dataclass(frozen=True)
class Plan:
    name: str
    niche: str
    content_type: str
    category_id: str
    monetized: bool
    growth_per_day: float
    rhythm: tuple[float, ...]
    rhythm_strength: float
    schedule: tuple[int, ...] | int  # upload weekdays (Monday 0), or every N days
    views_per_day: int  # steady state at the world's start, before rhythm and noise
    rpm: float
    subscribers: int
    launched_days_ago: int
    upload_hour: int  # Pacific
    tail_days: float
    diurnal_shift: int = 0


PLANS = (
    Plan("Money Mechanics", "finance", "educational", "27", True, 0.006, WEEKDAY_AUDIENCE, 1.1,
         (0, 3), 19_000, 11.5, 420_000, 900, 6, 60),
    Plan("Gadget Verdict", "technology", "news", "28", True, 0.005, WEEKDAY_AUDIENCE, 0.8,
         (1, 3, 5), 27_000, 5.0, 610_000, 1200, 9, 30),
    Plan("Budget Tech Finds", "technology", "news", "28", True, -0.006, WEEKDAY_AUDIENCE, 1.0,
         3, 10_800, 4.2, 230_000, 1000, 10, 35),
    Plan("Pixel Quest", "gaming", "entertainment", "20", True, 0.006, WEEKEND_AUDIENCE, 1.2,
         (0, 2, 4), 40_500, 2.2, 880_000, 800, 12, 40),
    Plan("Speedrun Stories", "gaming", "entertainment", "20", False, 0.006, WEEKEND_AUDIENCE,
         1.3, 3, 2_000, 2.0, 800, 24, 13, 30),
    Plan("Cosmos Explained", "science", "educational", "28", True, 0.0, WEEKDAY_AUDIENCE, 1.0,
         (1, 4), 13_500, 4.0, 290_000, 1100, 7, 70),
    Plan("Tiny Kitchen Lab", "food", "educational", "26", True, -0.005, WEEKEND_AUDIENCE, 1.1,
         (3, 6), 9_500, 3.4, 190_000, 950, 8, 50),
    Plan("Weeknight Meals", "food", "educational", "26", True, 0.005, WEEKDAY_AUDIENCE, 1.0,
         (0, 2), 10_800, 3.8, 120_000, 600, 9, 50),
    Plan("Lo-fi Lanterns", "music", "entertainment", "10", True, 0.0, WEEKEND_AUDIENCE, 0.35,
         2, 700, 0.8, 4_200, 500, 14, 70, diurnal_shift=-4),
    Plan("Workshop Weekends", "diy", "educational", "26", True, -0.006, WEEKEND_AUDIENCE, 1.2,
         (2, 5), 6_800, 4.5, 140_000, 1300, 6, 70),
    Plan("Carry-On Only", "travel", "entertainment", "19", False, 0.0, WEEKEND_AUDIENCE, 0.9,
         4, 1_600, 3.0, 3_100, 300, 10, 60),
    Plan("History in Ten", "history", "educational", "27", True, 0.006, WEEKDAY_AUDIENCE, 0.9,
         (3, 6), 16_200, 4.5, 360_000, 750, 8, 70),
)

DESCRIPTIONS = {
    "finance": "Personal finance without the hype.",
    "technology": "Gadgets and software, tested so you don't have to.",
    "gaming": "Games old and new, played properly.",
    "science": "The universe, one question at a time.",
    "food": "Home cooking that fits a weeknight.",
    "music": "Calm music for work, study and sleep.",
    "diy": "Woodworking and home repair for weekends.",
    "travel": "Cities, routes and budgets for light travellers.",
    "history": "History in ten minutes or less.",
}

# Title templates per niche; each {slot} is drawn from FILLERS (n and year are numbers).
TITLES = {
    "finance": [
        "How I'd invest my first ${amount} in {year}",
        "{n} money habits that quietly keep you broke",
        "{asset} vs. index funds: which wins over 10 years?",
        "The {adj} truth about {asset}",
        "Is your {account} costing you more than you think?",
        "I tracked every dollar for {days} days: here's what I learned",
        "{asset} explained in {n} minutes",
        "Pay off debt or invest? The math for {year}",
        "What a ${amount} portfolio pays in dividends every month",
        "{n} mistakes beginners make with {asset}",
    ],
    "technology": [
        "{product} review: {n} weeks later",
        "Is the {product} worth it in {year}?",
        "{n} budget gadgets under ${price} that feel premium",
        "{product} vs. {product2}: an honest comparison",
        "I replaced my {thing} with a ${price} alternative",
        "Don't buy a {thing} before watching this",
        "The best {thing} for most people ({year})",
        "{n} hidden settings every {platform} owner should change",
    ],
    "gaming": [
        "I played {game} for 100 hours: here's my verdict",
        "{n} hidden details in {game} you probably missed",
        "Ranking every {series} game from worst to best",
        "Why {game} still holds up in {year}",
        "{game}: the ultimate beginner's guide",
        "The fastest way to beat {game}",
        "{n} indie games you should play this month",
        "How {game} was beaten in under {minutes} minutes",
    ],
    "science": [
        "What would happen if {scenario}?",
        "{n} facts about {object} that sound made up",
        "How big is {object}, really?",
        "The {adj} physics of {phenomenon}",
        "Why {question}",
        "{object} explained in {n} minutes",
    ],
    "food": [
        "{minutes}-minute {quick_dish} that beats takeout",
        "I made {dish} {n} ways: which is best?",
        "The {adj} secret to perfect {dish}",
        "{n} cheap dinners for a busy week",
        "One-pan {dish} for {people}",
        "Meal prep for the whole week under ${price}",
        "Why your {dish} turns out soggy (and how to fix it)",
    ],
    "music": [
        "lofi beats to {activity} to ({hours} hours)",
        "{mood} lofi mix: {place} at {time}",
        "Rainy {place} jazz for {purpose}",
        "{hours} hours of calm piano to {activity} to",
    ],
    "diy": [
        "Building a {project} from scrap wood",
        "{n} workshop tools I wish I'd bought sooner",
        "How to fix a {problem} in {n} minutes",
        "Beginner's guide to {skill}",
        "I built a {project} for under ${price}",
        "{n} {adj} jigs for your table saw",
    ],
    "travel": [
        "{n} days in {place} with only a carry-on",
        "How to visit {place} on a budget",
        "{place} travel guide: {n} things to know before you go",
        "What ${price} a day gets you in {place}",
        "{n} packing mistakes I'll never make again",
        "The {adj} way from the airport to the city in {place}",
    ],
    "history": [
        "The fall of {empire}, explained in 10 minutes",
        "What daily life was like in {era}",
        "{n} myths about {topic} that aren't true",
        "How {event} changed the world",
        "The {adj} story of {person}",
        "Why {question}",
    ],
}
FILLERS = {
    "amount": ["1,000", "5,000", "10,000", "25,000", "50,000", "100,000"],
    "asset": ["high-yield savings", "dividend stocks", "REITs", "Treasury bills", "bond ETFs",
              "target-date funds", "a Roth IRA", "covered-call ETFs", "gold", "CDs"],
    "account": ["401(k)", "checking account", "credit card", "HSA", "brokerage account",
                "car loan"],
    "days": ["30", "60", "90"],
    "product": ["Pixel 9a", "Galaxy A56", "iPad Air", "Kindle Colorsoft", "Steam Deck OLED",
                "AirPods 4", "Nothing Phone (3a)", "MacBook Air M4", "Framework Laptop 13"],
    "thing": ["laptop", "mechanical keyboard", "robot vacuum", "smartwatch", "webcam", "router",
              "e-reader", "portable monitor", "power bank"],
    "price": ["25", "40", "50", "100", "150", "200"],
    "platform": ["Android", "iPhone", "Windows 11", "Mac", "Chromebook"],
    "game": ["Hollow Knight", "Stardew Valley", "Celeste", "Hades II", "Elden Ring",
             "Super Metroid", "Chrono Trigger", "Balatro", "Terraria", "Ocarina of Time",
             "Portal 2", "Dead Cells"],
    "series": ["Zelda", "Metroid", "Final Fantasy", "Mario Kart", "Castlevania", "Kirby"],
    "minutes": ["10", "15", "20", "30"],
    "scenario": ["the Moon disappeared", "Earth stopped spinning", "you fell into a black hole",
                 "we terraformed Mars", "a rogue planet crossed the Solar System",
                 "the Sun shrank to the size of Earth"],
    "object": ["Jupiter's Great Red Spot", "a neutron star", "the Andromeda galaxy",
               "Saturn's rings", "the Oort cloud", "a black hole", "Europa", "Olympus Mons"],
    "phenomenon": ["auroras", "tides", "solar flares", "lightning", "rainbows", "eclipses"],
    "dish": ["fried rice", "chicken tikka masala", "pad thai", "shakshuka", "mac and cheese",
             "ramen", "sourdough bread", "lasagna", "tacos al pastor", "banana bread", "chili"],
    "quick_dish": ["fried rice", "pad thai", "shakshuka", "ramen", "chicken tacos", "chili"],
    "people": ["two", "four", "a crowd"],
    "activity": ["study", "relax", "focus", "code", "sleep", "read"],
    "mood": ["Cozy", "Late-night", "Sunday morning", "Autumn", "Winter"],
    "place": ["Lisbon", "Kyoto", "Mexico City", "Reykjavik", "Hanoi", "Istanbul",
              "Buenos Aires", "Seoul", "Marrakech", "Copenhagen"],
    "time": ["midnight", "dawn", "2 AM", "sunset"],
    "hours": ["2", "3", "4"],
    "purpose": ["studying", "sleeping", "reading", "working late"],
    "project": ["workbench", "floating shelf", "bookcase", "garden bench", "tool wall",
                "standing desk", "cutting board", "bird feeder"],
    "problem": ["leaky faucet", "squeaky door", "running toilet", "drafty window",
                "wobbly table"],
    "skill": ["wood finishing", "pocket-hole joinery", "sharpening chisels", "drywall repair",
              "tiling"],
    "empire": ["the Roman Empire", "the Aztec Empire", "Byzantium", "the Mongol Empire",
               "the Ottoman Empire", "the Inca Empire"],
    "era": ["ancient Rome", "medieval London", "Edo Japan", "Victorian England",
            "the Bronze Age", "Viking Scandinavia"],
    "topic": ["the Middle Ages", "the Vikings", "ancient Egypt", "the Titanic", "Napoleon"],
    "event": ["the printing press", "the Black Death", "the Silk Road", "the Suez Canal",
              "the telegraph"],
    "person": ["Ada Lovelace", "Hannibal", "Genghis Khan", "Cleopatra", "Nikola Tesla",
               "Mansa Musa"],
}
QUESTIONS = {
    "science": ["the night sky is dark", "Venus spins backwards", "Mars is red",
                "Uranus is tilted on its side", "we haven't been back to the Moon"],
    "history": ["the Library of Alexandria burned", "the Bronze Age collapsed",
                "castles had spiral staircases", "Rome had no zero"],
}
ADJECTIVES = {
    "finance": ["uncomfortable", "boring", "surprising", "simple"],
    "science": ["strange", "beautiful", "violent", "surprising"],
    "food": ["simple", "surprising", "one-ingredient"],
    "diy": ["simple", "clever", "free", "essential"],
    "travel": ["cheapest", "fastest", "easiest"],
    "history": ["strange", "untold", "tragic", "forgotten"],
}
DURATIONS = {  # seconds: (shortest, longest) of a regular video
    "music": (3600, 10800),
    "history": (480, 720),
    "gaming": (600, 2400),
}


def demo_catalog(seed: int, start: datetime) -> tuple[list[Channel], list[Video]]:
    rng = random.Random(f"ytsim:{seed}:demo")
    ids = Ids(rng)
    channels, videos = [], []
    for index, plan in enumerate(PLANS):
        channel = _channel(plan, index, ids.channel(), start, rng)
        channels.append(channel)
        videos += _videos(plan, channel, start, ids,
                          random.Random(f"ytsim:{seed}:demo:{channel.id}"))
    return channels, videos


def _channel(plan: Plan, index: int, channel_id: str, start: datetime,
             rng: random.Random) -> Channel:
    handle = "@" + "".join(ch for ch in plan.name.lower() if ch.isalnum())
    cadence = (f"New videos every {' and '.join(_DAY_NAMES[d] for d in plan.schedule)}."
               if isinstance(plan.schedule, tuple) else "New videos every few days.")
    return Channel(
        id=channel_id,
        index=index,
        title=plan.name,
        handle=handle,
        description=f"{DESCRIPTIONS[plan.niche]} {cadence}",
        published_at=start - timedelta(days=plan.launched_days_ago, hours=rng.randint(0, 23)),
        subscriber_count=plan.subscribers,
        monetized=plan.monetized,
        niche=plan.niche,
        content_type=plan.content_type,
        weekly=scaled_rhythm(plan.rhythm, plan.rhythm_strength),
        growth_per_day=plan.growth_per_day,
        diurnal_shift=plan.diurnal_shift,
        day_noise_cv=rng.uniform(0.07, 0.12),
        tail_days=plan.tail_days,
        rpm=plan.rpm,
    )


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def upload_days(plan: Plan, start: datetime, rng: random.Random) -> list[date]:
    """The Pacific days the channel publishes on, over the world's months."""
    today = pacific_date(start)
    history = max(MIN_HISTORY_DAYS, round(TAIL_SPANS * plan.tail_days))
    first = today - timedelta(days=min(history, plan.launched_days_ago))
    last = today + timedelta(days=FUTURE_DAYS)
    days, day = [], first
    while day <= last:
        if isinstance(plan.schedule, tuple):
            if day.weekday() in plan.schedule and rng.random() > 0.08:  # a missed slot
                days.append(day)
            day += timedelta(days=1)
        else:
            days.append(day)
            day += timedelta(days=plan.schedule + rng.choice((-1, 0, 0, 1)))
    return days


def _videos(plan: Plan, channel: Channel, start: datetime, ids: Ids,
            rng: random.Random) -> list[Video]:
    # steady-state views a day of a channel uploading every `gap` days: each video's
    # lifetime views (launch plus evergreen tail) over the gap
    gap = 7 / len(plan.schedule) if isinstance(plan.schedule, tuple) else plan.schedule
    lifetime_per_peak = 36 * LAUNCH_SHARE + 24 * plan.tail_days * (1 - LAUNCH_SHARE)
    peak = plan.views_per_day * gap / lifetime_per_peak / math.exp(PEAK_SPREAD ** 2 / 2)
    titles: set[str] = set()
    out = []
    for index, day in enumerate(upload_days(plan, start, rng)):
        published = (datetime(day.year, day.month, day.day, plan.upload_hour, tzinfo=PACIFIC)
                     + timedelta(minutes=rng.randint(0, 110))).astimezone(UTC)
        title = _title(plan.niche, rng, titles, start.year)
        short = plan.niche != "music" and rng.random() < 0.12
        low, high = DURATIONS.get(plan.niche, (420, 1260))
        spike = rng.random() < SPIKE_CHANCE
        out.append(Video(
            id=ids.video(),
            channel_id=channel.id,
            index=index,
            title=title,
            description=f"{title}\n\n{channel.description}",
            published_at=published,
            duration_seconds=rng.randint(20, 59) if short else rng.randint(low, high),
            tags=tuple(rng.sample([plan.niche, plan.content_type, channel.title.lower(),
                                   str(start.year), "shorts" if short else "explained"],
                                  rng.randint(1, 4))),
            category_id=plan.category_id,
            peak_rate=peak * rng.lognormvariate(0, PEAK_SPREAD),
            launch_hours=rng.uniform(24, 60),
            like_ratio=rng.uniform(0.02, 0.06),
            comment_ratio=rng.uniform(0.002, 0.01),
            noise_cv=rng.uniform(0.15, 0.3),
            ctr=rng.uniform(0.025, 0.09),
            browse_share=rng.uniform(0.55, 0.85),
            spike_day=rng.randint(1, 25) if spike else None,
            spike_size=rng.uniform(6, 25) if spike else 1.0,
        ))
    return out


def _title(niche: str, rng: random.Random, used: set[str], year: int) -> str:
    """A title the channel has not used; a series continues ("Part 2") once they run out."""
    for attempt in range(60):
        slots = {name: rng.choice(values) for name, values in FILLERS.items()}
        slots["product2"] = rng.choice([p for p in FILLERS["product"] if p != slots["product"]])
        slots.update(n=rng.randint(3, 12), year=year,
                     adj=rng.choice(ADJECTIVES.get(niche, ["simple"])),
                     question=rng.choice(QUESTIONS.get(niche, ["it works"])))
        title = rng.choice(TITLES[niche]).format(**slots)
        title = title[0].upper() + title[1:]
        part = 2
        while attempt >= 30 and title in used:
            title, part = f"{title.removesuffix(f' (Part {part - 1})')} (Part {part})", part + 1
        if title not in used:
            used.add(title)
            return title
    raise RuntimeError(f"no new {niche} title")
