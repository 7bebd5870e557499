"""The daily revenue load behind `youtube_revenue_attribution`: YouTube Analytics figures
per video and day, revenue attribution with costs and partner revenue, and the
daily-only fact columns.

Along the data flow: `window` (the days a run loads), then per channel, driven by the
runner (`ytempire.youtube.runner`) after the channel's uploads sync: `fetch` (the
`dimensions=day` report over the window, then per ready day the per-video figures),
`parse` (every row checked), `write` (one transaction per channel and day). Days whose
costs or partner revenue changed since the last run are re-attributed from what is
already landed, whatever their age. Decisions: docs/youtube-revenue-attribution.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ytempire.youtube.revenue.window import Window
    from ytempire.youtube.runner import ChannelLoad


def load(window: Window) -> ChannelLoad[Any, Any]:
    """The revenue load of `window`, as the runner drives it: the uploads sync always
    runs first, so no new video is missed. (Imports here: DAG files import this package
    at parse time.)"""
    from functools import partial

    from ytempire.youtube.revenue import fetch, parse, write
    from ytempire.youtube.runner import ChannelLoad, Start

    return ChannelLoad(start=lambda conn, channel: Start(sync=True),
                       fetch=partial(fetch.fetch, window=window), parse=parse.parse,
                       write=write.write)
