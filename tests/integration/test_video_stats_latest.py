"""`analytics.video_stats_latest`: each video's newest snapshot and the one before it,
the previous counters of the hourly merge. Migration 0162 fills it from the history of
a warehouse that has one; the merge keeps it (test_youtube_hourly checks it after every
scenario there). Expected rows come from the history rows, sorted here."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import psycopg

from ytempire import migrations, schema_deploy

H = datetime(2026, 3, 8, 9, tzinfo=UTC)  # the US DST change day: hours are UTC anyway
HISTORY = [  # (video, hour offset, views, likes, comments)
    ("gap", 0, 10, 1, 0), ("gap", 1, 12, 1, 0), ("gap", 7, 40, 3, 1),  # a gap of 6 hours
    ("single", 3, 5, None, None),  # one snapshot: a baseline, no previous
    ("hidden", 2, 100, None, 4), ("hidden", 3, 90, 7, None),  # hidden likes, spam removal
    ("it's \"quoted\"", 0, 0, 0, 0), ("it's \"quoted\"", 1, 0, 0, 0),  # zero increments
    ("many", 0, 1, 1, 1), ("many", 1, 2, 2, 2), ("many", 2, 3, 3, 3), ("many", 3, 4, 4, 4),
]


def expected_latest(history) -> dict:
    """Per video: (newest hour and counters, the previous hour and counters or Nones)."""
    by_video: dict[str, list] = {}
    for video, hour, *counters in sorted(history, key=lambda r: (r[0], r[1])):
        by_video.setdefault(video, []).append((hour, *counters))
    return {video: (rows[-1], rows[-2] if len(rows) > 1 else (None, None, None, None))
            for video, rows in by_video.items()}


def latest(conn) -> dict:
    rows = conn.execute(
        "select video_id, snapshot_hour, view_count, like_count, comment_count, previous_hour,"
        " previous_view_count, previous_like_count, previous_comment_count"
        " from analytics.video_stats_latest").fetchall()
    return {r[0]: (tuple(r[1:5]), tuple(r[5:9])) for r in rows}


def history_rows(conn) -> list[tuple]:
    return conn.execute("select video_id, snapshot_hour, view_count, like_count, comment_count"
                        " from analytics.video_stats_snapshot").fetchall()


def test_the_migration_fills_it_from_the_history(empty_database_dsn, tmp_path):
    before = tmp_path / "migrations"
    before.mkdir()
    for path in migrations.MIGRATIONS_DIR.glob("*.sql"):
        if path.name < "0162":
            shutil.copy(path, before / path.name)
    with psycopg.connect(empty_database_dsn, autocommit=True) as conn:
        schema_deploy.deploy(conn, before)
        conn.execute(
            "insert into analytics.video_stats_snapshot (video_id, channel_id, snapshot_hour,"
            " view_count, like_count, comment_count)"
            " select v, 'UCc', h, views, likes, comments"
            " from unnest(%s::text[], %s::timestamptz[], %s::bigint[], %s::bigint[], %s::bigint[])"
            " as s (v, h, views, likes, comments)",
            [list(c) for c in zip(*((v, H + timedelta(hours=o), *n) for v, o, *n in HISTORY),
                                  strict=True)])
        applied = schema_deploy.deploy(conn).applied
        assert "0162_video_stats_latest.sql" in applied
        history = history_rows(conn)
        assert len(history) == len(HISTORY)
        assert latest(conn) == expected_latest(history)
        assert latest(conn)["gap"] == ((H + timedelta(hours=7), 40, 3, 1),
                                       (H + timedelta(hours=1), 12, 1, 0))
