"""Building given rows in the warehouse (plain INSERTs: they work on both paths)."""

from __future__ import annotations

from datetime import UTC, datetime

from psycopg import sql


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def insert(conn, table: str, rows: list[dict]) -> None:
    """One multi-row INSERT: no pipelined executemany, which the TimescaleDB stand-in
    occasionally hangs on."""
    columns = list(rows[0])
    row = sql.SQL("({})").format(sql.SQL(", ").join(sql.Placeholder() * len(columns)))
    statement = sql.SQL("insert into {} ({}) values {}").format(
        sql.Identifier("analytics", table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join([row] * len(rows)),
    )
    conn.execute(statement, [r[c] for r in rows for c in columns])


REGISTERED = datetime(2026, 1, 1, tzinfo=UTC)


def channels(conn, *specs: tuple) -> None:
    """(channel_id, name, status) tuples, registered long before the test's data."""
    insert(conn, "dim_channel", [
        {"channel_id": c, "channel_name": n, "status": s, "niche": "test", "created_at": REGISTERED}
        for c, n, s in specs
    ])


def videos(conn, *specs: tuple) -> None:
    """(video_id, channel_id, title) or (video_id, channel_id, title, video_type, category)."""
    rows = []
    for spec in specs:
        video_id, channel_id, title, *kind = spec + (None,) * (5 - len(spec))
        rows.append({"video_id": video_id, "channel_id": channel_id, "title": title,
                     "video_type": kind[0], "category": kind[1]})
    insert(conn, "dim_video", rows)


def facts(conn, *specs: tuple) -> None:
    """(video_id, channel_id, 'YYYY-MM-DDTHH:MM', views, likes, comments, shares,
    revenue_cents, cost_cents) tuples."""
    keys = ("video_id", "channel_id", "timestamp", "views", "likes", "comments", "shares",
            "estimated_revenue_cents", "cost_cents")
    rows = []
    for spec in specs:
        row = dict(zip(keys, spec, strict=True))
        row["timestamp"] = utc(row["timestamp"])
        rows.append(row)
    insert(conn, "fact_video_performance", rows)


def revenue(conn, *specs: tuple) -> None:
    """(video_id, channel_id, 'YYYY-MM-DD', ad, other, sponsorship, affiliate, ai, api, infra)."""
    keys = ("video_id", "channel_id", "revenue_date", "ad_revenue_cents", "other_revenue_cents",
            "sponsorship_revenue_cents", "affiliate_revenue_cents", "ai_cost_cents",
            "api_cost_cents", "infrastructure_cost_cents")
    insert(conn, "revenue_attribution", [dict(zip(keys, s, strict=True)) for s in specs])


def refresh_all(conn) -> dict:
    """Every rollup refreshed (on the plain path: every logged bucket of a complete day)."""
    from ytempire import rollups

    return {rollup: rollups.refresh(conn, rollup) for rollup in rollups.ALL_ROLLUPS}
