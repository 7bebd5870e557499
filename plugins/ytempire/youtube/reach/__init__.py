"""The reach load behind `youtube_reporting_reports`: YouTube Reporting API reports of
thumbnail impressions and click-through rate per video and Pacific day, landed in
`analytics.yt_reach_daily`.

Per channel, driven by the runner (`ytempire.youtube.runner`; no uploads sync: the
hourly collector keeps `dim_video` current): `fetch` (the channel's reach job, created
once; its reports listed; each report due downloaded), `parse` (the CSV checked line by
line), `write` (one transaction per report: the day's rows replaced). `status` says,
after the loads, which channels still wait for their first reports and which days have
none loaded. Decisions: docs/experiments.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ytempire.youtube.runner import ChannelLoad


def load(logical_time: datetime, redownload: bool = False) -> ChannelLoad[Any, Any]:
    """The reach load as the runner drives it. (Imports here: DAG files import this
    package at parse time.)"""
    from functools import partial

    from ytempire.youtube.reach import fetch, parse, write
    from ytempire.youtube.runner import ChannelLoad, Start

    return ChannelLoad(start=lambda conn, channel: Start(sync=False),
                       fetch=partial(fetch.fetch, logical_time=logical_time,
                                     redownload=redownload),
                       parse=parse.parse, write=write.write)
