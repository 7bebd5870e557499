"""Local stand-in for YouTube's OAuth, Data API v3 (lists, videos.update, thumbnails.set),
Analytics API v2 and Reporting API v1 (reach reports) (standard library only).

    with run_simulator(seed=7, clock="2026-11-20T12:00:00Z") as sim:
        creds = sim.credentials(sim.world.channels[0].id)
        build("youtube", "v3", credentials=creds,
              client_options={"api_endpoint": sim.url}, static_discovery=True)

Behaviour worth knowing (beyond the real API's documented shapes):
- The data is a pure function of (seed, sizes, start); `clock` (initially `start`) only
  decides what is visible: published/removed videos, counters "now", ready days.
  `World(...)` is the small test world with its edge cases, `World.demo(...)` the demo
  network the local stack shows; both follow the same dynamics and expose their true
  means without HTTP (`world` module docstring).
- Analytics returns a row for every (video, Pacific day) on which the video existed
  (published before the day's end, not removed before its start), zero figures included;
  a channel `dimensions=day` row exists when any of its videos has one. Removed videos
  keep their history. Video ids of other channels or unknown ids in a filter give no row.
- Counters freeze when a video is removed; spam corrections (`world.corrections`) lower
  `views` from an hour boundary on; daily views clamp such a day at 0.
- Quota (`Faults.quota_after`) counts Data API units from when it was set (1 per list
  call, 50 per write) and does not reset at Pacific midnight; the Analytics and
  Reporting APIs are not counted unless listed.
- Writes change what videos.list shows from the world's clock on (`world.edits`); a
  title or thumbnail image can carry a true CTR effect (`edits.set_true_effect`) that
  the reach reports (`reporting`) show. Every answer's Date header is the world's clock.
"""

from .faults import Faults, MalformedRow
from .server import Simulator, run_simulator
from .world import (
    PACIFIC,
    Channel,
    Correction,
    Expected,
    Reach,
    Video,
    World,
    pacific_date,
    pacific_day_bounds,
)

__all__ = [
    "PACIFIC",
    "Channel",
    "Correction",
    "Expected",
    "Faults",
    "MalformedRow",
    "Reach",
    "Simulator",
    "Video",
    "World",
    "pacific_date",
    "pacific_day_bounds",
    "run_simulator",
]
