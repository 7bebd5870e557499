"""python -m ytempire_dev.simulator --port 0 --seed 7 --clock 2026-11-20T12:00:00Z [--demo]

`--demo` serves the demo network (World.demo), else the small test world. Prints
`YOUTUBE_SIMULATOR http://HOST:PORT` once serving; stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta

from .faults import Faults
from .server import Simulator
from .world import World, utc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ytempire_dev.simulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--demo", action="store_true",
                   help="the demo network (World.demo) instead of the small test world")
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--videos-per-channel", type=int, default=5)
    p.add_argument("--clock", help="start instant, ISO 8601 (default: this hour, UTC)")
    p.add_argument("--ready-lag-days", type=float, default=2)
    p.add_argument("--faults", help="JSON object of fault settings (see Faults)")
    p.add_argument("--live", action="store_true",
                   help="keep the clock at the wall clock (for a running Airflow)")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)

    start = utc(datetime.fromisoformat(args.clock)) if args.clock else None
    lag = timedelta(days=args.ready_lag_days)
    world = (World.demo(args.seed, start=start, ready_lag=lag) if args.demo else
             World(args.seed, args.channels, args.videos_per_channel, start=start, ready_lag=lag))
    faults = Faults().updated(**json.loads(args.faults)) if args.faults else None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Simulator(world, args.host, args.port, faults) as sim:
        print(f"YOUTUBE_SIMULATOR {sim.url}", flush=True)
        while not stop.wait(0.5):
            if args.live:
                sim.set_clock(datetime.now(UTC))
    return 0


if __name__ == "__main__":
    sys.exit(main())
