"""Expected figures for the revenue load, computed from the simulator's world and
the test's own rows, never from the loader's output; and small helpers to run
`youtube_revenue_attribution` against a simulator."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import psycopg

PACIFIC = ZoneInfo("America/Los_Angeles")
HOUR = timedelta(hours=1)
# 05:00 PST on 2026-11-20: the daily run of warehouse day P = 2026-11-20.
START = datetime(2026, 11, 20, 13, tzinfo=UTC)
DAG_ID = "youtube_revenue_attribution"


def cents(dollars: Decimal | None) -> int:
    """Half-up on the decimal as sent (never through a float)."""
    if dollars is None:
        return 0
    return int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def day_hours(day: date) -> list[datetime]:
    """UTC hour starts of a Pacific day (23, 24 or 25 of them)."""
    start = datetime(day.year, day.month, day.day, tzinfo=PACIFIC).astimezone(UTC)
    nxt = day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=PACIFIC).astimezone(UTC)
    return [start + i * HOUR for i in range(int((end - start) / HOUR))]


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (evenly if all are 0), integers
    summing to `total`; the leftover units go to the largest remainders, ties
    to the earlier position."""
    weights = [max(w, 0) for w in weights]
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    base = [total * w // whole for w in weights]
    rems = [total * w - b * whole for w, b in zip(weights, base, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: (-rems[i], i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def cost_category(cost_type: str) -> str:
    if cost_type in ("ai_generation", "voice_synthesis"):
        return "ai"
    return "api" if cost_type == "api_calls" else "infrastructure"


# -- registering the simulator's channels -----------------------------------------


def register_channels(conn: psycopg.Connection, sim, monkeypatch, channels=None) -> list:
    """dim_channel rows (one connection each) and the AIRFLOW_CONN_* of their tokens."""
    channels = channels or sim.world.channels
    for n, channel in enumerate(channels):
        conn_id = f"youtube_{n}"
        conn.execute(
            "insert into analytics.dim_channel (channel_id, channel_name, monetization_enabled, "
            "status, metadata) values (%s, %s, %s, 'active', %s)",
            (channel.id, channel.title, channel.monetized,
             json.dumps({"youtube_conn_id": conn_id})),
        )
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({
            "conn_type": "generic",
            "extra": {"client_id": "x", "client_secret": "y",
                      "refresh_token": channel.refresh_token, "api_root": sim.url},
        }))
    return list(channels)


def no_client_backoff(monkeypatch) -> None:
    """Keep the Google client's retries, skip its back-off sleeps."""
    import googleapiclient.http as http

    original = http._retry_request

    def fast(http_, num_retries, req_type, sleep, rand, uri, method, *args, **kwargs):
        return original(http_, num_retries, req_type, lambda s: None, rand, uri, method,
                        *args, **kwargs)

    monkeypatch.setattr(http, "_retry_request", fast)


@contextmanager
def registered(dsn: str, sim, monkeypatch) -> Iterator[psycopg.Connection]:
    """The warehouse (autocommit) with the simulator's channels registered, the client's
    retries without their back-off sleeps: what a test of a YouTube load starts from."""
    no_client_backoff(monkeypatch)
    with psycopg.connect(dsn, autocommit=True) as conn:
        register_channels(conn, sim, monkeypatch)
        yield conn


def load_dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    from ytempire.settings import REPO_ROOT

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags" / f"{dag_id}.py"))
    assert bag.import_errors == {}, bag.import_errors
    return bag.dags[dag_id]


def revenue_dag():
    return load_dag(DAG_ID)


def run_dag(dag, sim, logical: datetime, conf: dict | None = None):
    """One run, with the simulator's clock at the run's logical time."""
    import pendulum

    sim.set_clock(logical)
    # dag.test keeps the previous run's conf as the DAG's params: always pass every one
    conf = {"lookback_days": 3, "start_date": None, "end_date": None, "channel_ids": None} | (
        conf or {})
    return dag.test(logical_date=pendulum.instance(logical), run_conf=conf)


def task_states(dag_run) -> dict:
    from airflow.utils.session import create_session

    with create_session() as session:
        tis = dag_run.get_task_instances(session=session)
        return {(ti.task_id, ti.map_index): ti.state for ti in tis}


def xcom(dag_run, task_id: str, map_index: int = -1):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.query(XComModel).filter_by(
            dag_id=dag_run.dag_id, run_id=dag_run.run_id, task_id=task_id,
            map_index=map_index, key="return_value").one_or_none()
        return None if row is None else XComModel.deserialize_value(row)


# -- expected rows from the world ---------------------------------------------------


def expected_video_daily(world, channels, days) -> dict:
    """{(video_id, day): figures as YouTube sends them} for every video with data."""
    out = {}
    for channel in channels:
        for video in world.videos_of(channel.id):
            for day in days:
                if world.has_data(video.id, day):
                    out[(video.id, day)] = world.daily(video.id, day)
    return out


def expected_attribution(world, channels, days, costs=(), partner=(), fact_views=None) -> dict:
    """{(video_id, day): (ad, sponsorship, affiliate, other, ai, api, infra)} from the
    world's figures, the test's partner rows (video_id, day, kind, cents) and its
    cost rows (video_id|None, channel_id, Pacific day, cost_type, cents). Channel
    costs go over `fact_views` {(video_id, day): views} of that channel and day."""
    rows: dict = defaultdict(lambda: [0] * 7)
    for (video_id, day), f in expected_video_daily(world, channels, days).items():
        ad = cents(f.get("estimatedAdRevenue"))
        rows[(video_id, day)][0] = ad
        rows[(video_id, day)][3] = cents(f.get("estimatedRevenue")) - ad
    for video_id, day, kind, amount in partner:
        rows[(video_id, day)][1 if kind == "sponsorship" else 2] += amount
    index = {"ai": 4, "api": 5, "infrastructure": 6}
    for video_id, channel_id, day, cost_type, amount in costs:
        slot = index[cost_category(cost_type)]
        if video_id is not None:
            rows[(video_id, day)][slot] += amount
            continue
        carriers = sorted(
            ((v, views) for (v, d), views in (fact_views or {}).items()
             if d == day and world.video(v).channel_id == channel_id),
            key=lambda item: item[0],
        )
        if not carriers:
            continue
        for (v, _), share in zip(carriers, largest_remainder(amount, [w for _, w in carriers]),
                                 strict=True):
            rows[(v, day)][slot] += share
    return {k: tuple(v) for k, v in rows.items()}


# -- reading the warehouse ----------------------------------------------------------


def loaded_video_daily(conn) -> dict:
    rows = conn.execute(
        "select video_id, day, views, likes, dislikes, comments, shares, "
        "estimated_minutes_watched, average_view_duration, estimated_revenue, "
        "estimated_ad_revenue from analytics.yt_video_daily").fetchall()
    out = {}
    for vid, day, *m in rows:
        figures = dict(zip(("views", "likes", "dislikes", "comments", "shares",
                            "estimatedMinutesWatched", "averageViewDuration"), m[:7], strict=True))
        if m[7] is not None or m[8] is not None:
            figures["estimatedRevenue"], figures["estimatedAdRevenue"] = m[7], m[8]
        out[(vid, day)] = figures
    return out


def loaded_attribution(conn) -> dict:
    return {
        (vid, day): tuple(rest)
        for vid, day, *rest in conn.execute(
            "select video_id, revenue_date, ad_revenue_cents, sponsorship_revenue_cents, "
            "affiliate_revenue_cents, other_revenue_cents, ai_cost_cents, api_cost_cents, "
            "infrastructure_cost_cents from analytics.revenue_attribution")
    }


def fact_day_sums(conn) -> dict:
    """{(video_id, Pacific day): (dislikes, shares, watch minutes, revenue cents, cost cents,
    set of average view durations, rows, views, likes, comments)}."""
    return {
        (vid, day): (dis, sh, watch, rev, cost, set(avds), n, views, likes, comments)
        for vid, day, dis, sh, watch, rev, cost, avds, n, views, likes, comments in conn.execute(
            "select video_id, (timestamp at time zone 'America/Los_Angeles')::date as day, "
            "sum(dislikes), sum(shares), sum(watch_time_minutes), sum(estimated_revenue_cents), "
            "sum(cost_cents), array_agg(distinct average_view_duration_seconds), count(*), "
            "sum(views), sum(likes), sum(comments) "
            "from analytics.fact_video_performance group by 1, 2")
    }


def assert_invariant_4(conn, world=None) -> int:
    """Fact sums of views, likes, comments and the daily-only columns == yt_video_daily
    (== the world's figures when `world` is given); revenue_attribution == yt_video_daily
    + partner revenue + mapped costs (costs compared in total with cost_tracking per
    channel and day further down). Returns the video-days checked."""
    sums = fact_day_sums(conn)
    attribution = loaded_attribution(conn)
    checked = 0
    for (vid, day), f in loaded_video_daily(conn).items():
        if world is not None:
            assert f == world.daily(vid, day), (vid, day)
        dis, sh, watch, rev, cost, avds, _, views, likes, comments = sums[(vid, day)]
        assert (views, likes, comments) == (f["views"], f["likes"], f["comments"]), (vid, day)
        assert (dis, sh) == (f["dislikes"], f["shares"]), (vid, day)
        assert watch == Decimal(f["estimatedMinutesWatched"]), (vid, day)
        assert rev == cents(f.get("estimatedRevenue")), (vid, day)
        assert avds == {Decimal(f["averageViewDuration"])}, (vid, day)
        a = attribution[(vid, day)]
        assert a[0] == cents(f.get("estimatedAdRevenue")), (vid, day)
        assert a[0] + a[3] == cents(f.get("estimatedRevenue")), (vid, day)
        assert cost == sum(a[4:7]), (vid, day)
        checked += 1
    return checked


SNAPSHOT_QUERIES = {
    "yt_video_daily": "select video_id, day, channel_id, views, likes, dislikes, comments, shares, "
    "estimated_minutes_watched, average_view_duration, estimated_revenue, estimated_ad_revenue "
    "from analytics.yt_video_daily order by 1, 2",
    "yt_channel_daily": "select channel_id, day, views, estimated_minutes_watched, "
    "estimated_revenue, estimated_ad_revenue from analytics.yt_channel_daily order by 1, 2",
    "revenue_attribution": "select video_id, channel_id, revenue_date, ad_revenue_cents, "
    "sponsorship_revenue_cents, affiliate_revenue_cents, other_revenue_cents, ai_cost_cents, "
    "api_cost_cents, infrastructure_cost_cents from analytics.revenue_attribution order by 1, 3",
    "fact_video_performance": "select video_id, channel_id, timestamp, views, likes, dislikes, "
    "comments, shares, watch_time_minutes, average_view_duration_seconds, "
    "estimated_revenue_cents, actual_revenue_cents, cost_cents, daily_row from "
    "analytics.fact_video_performance order by 1, 3",
    "unallocated_cost": "select channel_id, revenue_date, ai_cost_cents, api_cost_cents, "
    "infrastructure_cost_cents, cost_rows, reason from analytics.unallocated_cost order by 1, 2",
    "load_quarantine": "select source, reason, payload::text, channel_id, video_id, day "
    "from analytics.load_quarantine order by 1, 4, 6, 2, 3",
    "dim_video": "select video_id, channel_id, title, tags, is_available from analytics.dim_video "
    "order by 1",
    "revenue_input_invalidation": "select source, video_id, channel_id, revenue_date "
    "from analytics.revenue_input_invalidation order by 1, 2, 3, 4",
}


def snapshot(conn) -> dict:
    """Every table the load writes, audit columns aside."""
    return {name: conn.execute(query).fetchall() for name, query in SNAPSHOT_QUERIES.items()}


def insert_hours(conn, video, rows: list[tuple[datetime, int, int, int]]) -> None:
    """Hourly fact rows as the hourly collector writes them: (hour, views, likes, comments)."""
    with conn.cursor() as cur:
        cur.executemany(
            "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, views, "
            "likes, comments) values (%s, %s, %s, %s, %s, %s)",
            [(video.id, video.channel_id, hour, v, lk, c) for hour, v, lk, c in rows])


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=PACIFIC)


def insert_costs(conn, costs) -> None:
    """(video_id|None, channel_id|None, Pacific day, cost_type, cents), at noon that day."""
    with conn.cursor() as cur:
        cur.executemany(
            "insert into analytics.cost_tracking (external_ref, video_id, channel_id, cost_type, "
            "cost_cents, timestamp) values (%s, %s, %s, %s, %s, %s)",
            [(f"cost-{uuid.uuid4().hex}", v, c, t, cents_, noon(day))
             for v, c, day, t, cents_ in costs])


def insert_partner(conn, partner, prefix: str = "ref") -> None:
    """(video_id, day, kind, cents)."""
    with conn.cursor() as cur:
        cur.executemany(
            "insert into analytics.partner_revenue (video_id, revenue_date, kind, amount_cents, "
            "source, external_ref) values (%s, %s, %s, %s, 'test', %s)",
            [(v, day, kind, amount, f"{prefix}-{i}") for i, (v, day, kind, amount)
             in enumerate(partner)])


def fact_hours(conn, video_id: str, day: date) -> list[tuple]:
    """(timestamp, views, likes, comments, dislikes, shares, watch, avd, revenue, cost) by hour."""
    hours = day_hours(day)
    return conn.execute(
        "select timestamp, views, likes, comments, dislikes, shares, watch_time_minutes, "
        "average_view_duration_seconds, estimated_revenue_cents, cost_cents "
        "from analytics.fact_video_performance where video_id = %s and timestamp >= %s "
        "and timestamp < %s order by timestamp",
        (video_id, hours[0], hours[-1] + HOUR)).fetchall()
