"""The first run of the local stack (`scripts/run` up to the scheduler) on a throwaway
stack: schema, channels, YTEMPIRE's own systems, the history through
`youtube_revenue_attribution` and both refreshes; then the figures a person sees first.
Expected figures come from the simulated world (`world.daily`, the systems' events),
never from the pipeline; a second first run loads nothing again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from revenue_expect import cents

from ytempire.warehouse import sql_file
from ytempire_dev import devstack
from ytempire_dev.simulator import pacific_date
from ytempire_dev.simulator.ytempire_systems import events, niche
from ytempire_dev.testing.local_stack import throwaway_stack

HISTORY_DAYS = 14
QUERIES = ("q1_channel_performance", "q2_video_performance_trends", "q3_cost_analysis",
           "q4_rpm_analysis", "q5_roi_by_video_type")


@pytest.fixture(params=["plain", "timescale"])
def first_stack(request):
    with throwaway_stack(request.param) as stack:
        yield stack


def rows(conn, query: str, **params) -> list[dict]:
    cur = conn.execute(query, params)
    names = [d.name for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_first_run_loads_a_believable_history_once(first_stack):
    env, uri, world = first_stack
    before = datetime.now(UTC)
    assert devstack.first_run(env, uri, world, HISTORY_DAYS) is True
    now = datetime.now(UTC)
    today = pacific_date(now)
    first, last = today - timedelta(days=HISTORY_DAYS), world.last_ready_day(now)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    expected = {(v.id, d): world.daily(v.id, d) for v in world.videos for d in days
                if world.has_data(v.id, d)}
    costs, payments = events(world, first, today)

    with psycopg.connect(uri) as conn:
        # views, likes, comments and revenue per video and day are YouTube's
        facts = {(v, d): (views, likes, comments, revenue) for v, d, views, likes, comments,
                 revenue in conn.execute(
                     "select video_id, (timestamp at time zone 'America/Los_Angeles')::date, "
                     "sum(views), sum(likes), sum(comments), sum(estimated_revenue_cents) "
                     "from analytics.fact_video_performance group by 1, 2")}
        for key, f in expected.items():
            assert facts[key] == (f["views"], f["likes"], f["comments"],
                                  cents(f.get("estimatedRevenue"))), key
        assert sum(f["views"] for f in expected.values()) > 0
        # every cost and payment that had arrived when the systems wrote is in (that
        # moment lies between `before` and `now`), as sent; the re-sent payment once
        written = dict(conn.execute("select details ->> 'ref', cost_cents from "
                                    "analytics.cost_tracking"))
        sent = {c.ref: c.cents for c in costs if c.arrives_at <= now}
        assert {c.ref for c in costs if c.arrives_at <= before} <= set(written) <= set(sent)
        assert written == {ref: sent[ref] for ref in written}
        assert sum(1 for c in costs if c.video_id is None and c.ref in written) > 0
        received = dict(conn.execute("select external_ref, amount_cents from "
                                     "analytics.partner_revenue"))
        arrived = [p for p in payments if p.arrives_at <= now]
        paid = {p.external_ref: p for p in arrived if p.external_ref in received}
        assert {p.external_ref for p in payments if p.arrives_at <= before} <= set(received)
        assert received == {ref: p.cents for ref, p in paid.items()}
        assert len(paid) < len([p for p in arrived if p.external_ref in received])  # re-sent
        youtube = sum(cents(f.get("estimatedRevenue")) for f in expected.values())
        partner = sum(p.cents for p in paid.values() if first <= p.day <= last)
        attributed = conn.execute(
            "select sum(ad_revenue_cents + other_revenue_cents + sponsorship_revenue_cents "
            "+ affiliate_revenue_cents) from analytics.revenue_attribution "
            "where revenue_date between %s and %s", (first, last)).fetchone()[0]
        assert attributed == youtube + partner > 0

        # niches and types filled
        assert dict(conn.execute("select channel_id, niche from analytics.dim_channel")) == {
            c.id: niche(c) for c in world.channels}
        assert conn.execute("select count(*) from analytics.dim_video where video_type is null"
                            ).fetchone()[0] == 0

        # what a person sees first
        view = {r["channel_id"]: r for r in rows(
            conn, "select * from analytics.channel_performance_view")}
        assert set(view) == {c.id for c in world.channels}
        for channel in world.channels:
            r = view[channel.id]
            assert r["total_views"] > 0 and r["total_cost"] > 0 and r["niche"]
            assert (r["total_revenue"] > 0) is channel.monetized
        as_of = now
        results = {name: rows(conn, sql_file(f"queries/{name}.sql"), as_of=as_of)
                   for name in QUERIES}
        assert all(results[name] for name in QUERIES), {k: len(v) for k, v in results.items()}
        rpm = {r["channel_id"]: r["avg_rpm"] for r in results["q4_rpm_analysis"]}
        for channel in world.channels:
            assert (rpm[channel.id] > 0) is channel.monetized, rpm
        assert all(r["video_type"] for r in results["q5_roi_by_video_type"])
        assert any(r["avg_roi_percent"] is not None for r in results["q5_roi_by_video_type"])
        summary = rows(conn, "select * from analytics.daily_revenue_summary "
                             "where revenue_date between %(first)s and %(last)s",
                       first=first, last=last)
        assert len(summary) == len(days)
        assert all(r["total_revenue"] > 0 and r["total_cost"] > 0 and r["pooled_roi"] is not None
                   for r in summary)
        assert sum(r["total_revenue"] for r in summary) == Decimal(attributed) / 100
        before = conn.execute("select count(*), sum(views) from analytics.fact_video_performance"
                              ).fetchone()

    # a second run reuses what exists
    assert devstack.first_run(env, uri, world, HISTORY_DAYS) is False
    with psycopg.connect(uri) as conn:
        assert conn.execute("select count(*), sum(views) from analytics.fact_video_performance"
                            ).fetchone() == before
