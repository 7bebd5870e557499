"""The PGlite + TimescaleDB wire server behaves like PostgreSQL for psycopg 3 at default settings.

One server for the module (a start takes several seconds); every test uses its own tables.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import psycopg
import pytest
from psycopg import errors, sql

from ytempire_dev.testing.timescale import timescale_server

pytestmark = pytest.mark.timescale

LOCK_TIMEOUT_S = 5.0
UTC = dt.UTC
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("timescale")
    with timescale_server(workdir, lock_timeout_s=LOCK_TIMEOUT_S) as server_dsn:
        with psycopg.connect(server_dsn) as conn:
            with conn.transaction(), conn.transaction():  # the extension in a savepoint
                conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
        yield server_dsn


@pytest.fixture
def conn(dsn: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def other_conn(dsn: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


def test_session_looks_like_timescaledb_on_postgres_17(conn: psycopg.Connection) -> None:
    assert conn.info.server_version >= 170000
    assert conn.info.parameter_status("TimeZone") == "UTC"
    row = conn.execute(
        "select extversion, current_setting('search_path'), current_setting('TimeZone')"
        " from pg_extension where extname = 'timescaledb'"
    ).fetchone()
    assert row is not None
    assert row[0].startswith("2.23")
    assert row[1:] == ('"$user", public', "UTC")


def test_create_extension_again_in_a_savepoint(dsn: str) -> None:
    with psycopg.connect(dsn) as conn:
        with conn.transaction():
            with conn.transaction():
                conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
            count = conn.execute(
                "select count(*) from pg_extension where extname = %s", ("timescaledb",)
            ).fetchone()
        assert count == (1,)


def _video_rows(count: int) -> list[tuple[str, dt.datetime, str, int]]:
    # Spans the 2025-03-09 US daylight-saving change, so Los Angeles days are 23 h once.
    start = dt.datetime(2025, 3, 1, tzinfo=UTC)
    return [
        (f"v{i % 3}", start + dt.timedelta(minutes=37 * i), f"u{i % 11}", i % 4)
        for i in range(count)
    ]


def _expected_daily(rows: list[tuple[str, dt.datetime, str, int]]) -> list[tuple]:
    viewers: dict[tuple[str, dt.datetime], set[str]] = defaultdict(set)
    views: dict[tuple[str, dt.datetime], int] = defaultdict(int)
    for video_id, ts, viewer_id, n in rows:
        local = ts.astimezone(LOS_ANGELES)
        day = dt.datetime(local.year, local.month, local.day, tzinfo=LOS_ANGELES)
        viewers[video_id, day].add(viewer_id)
        views[video_id, day] += n
    return sorted(
        (video_id, day.astimezone(UTC), len(viewers[video_id, day]), views[video_id, day])
        for video_id, day in viewers
    )


def test_hypertable_continuous_aggregate_and_policies(dsn: str) -> None:
    rows = _video_rows(1500)
    with psycopg.connect(dsn) as conn:
        with conn.transaction():
            conn.execute(
                """
                create table cagg_video_stats (
                    video_id text not null,
                    "timestamp" timestamptz not null,
                    viewer_id text not null,
                    views integer not null,
                    primary key (video_id, "timestamp")
                )
                """
            )
            conn.execute(
                "select create_hypertable('cagg_video_stats', by_range('timestamp', %s::interval))",
                ("1 day",),
            )
            with conn.cursor() as cur:
                cur.executemany("insert into cagg_video_stats values (%s, %s, %s, %s)", rows)

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            """
            create materialized view cagg_video_daily
            with (timescaledb.continuous, timescaledb.materialized_only = true) as
            select
                video_id,
                time_bucket('1 day', "timestamp", 'America/Los_Angeles') as day,
                count(distinct viewer_id) as viewers,
                sum(views) as views
            from cagg_video_stats
            group by video_id, day
            with no data
            """
        )
        assert conn.execute("select count(*) from cagg_video_daily").fetchone() == (0,)

        conn.execute(
            "call refresh_continuous_aggregate('cagg_video_daily', %s, %s)",
            (dt.datetime(2025, 2, 20, tzinfo=UTC), dt.datetime(2025, 4, 20, tzinfo=UTC)),
        )
        daily = conn.execute(
            "select video_id, day, viewers, views from cagg_video_daily order by 1, 2"
        ).fetchall()
        assert daily == _expected_daily(rows)

        refresh_job = conn.execute(
            "select add_continuous_aggregate_policy('cagg_video_daily',"
            " start_offset => %s::interval, end_offset => %s::interval,"
            " schedule_interval => %s::interval)",
            ("30 days", "1 hour", "1 hour"),
        ).fetchone()
        conn.execute(
            """
            alter table cagg_video_stats set (
                timescaledb.compress,
                timescaledb.compress_segmentby = 'video_id',
                timescaledb.compress_orderby = '"timestamp" desc'
            )
            """
        )
        compression_job = conn.execute(
            "select add_compression_policy('cagg_video_stats', compress_after => %s::interval)",
            ("7 days",),
        ).fetchone()
        assert refresh_job is not None and compression_job is not None
        jobs = conn.execute(
            "select job_id, proc_name from timescaledb_information.jobs"
            " where job_id in (%s, %s) order by job_id",
            (refresh_job[0], compression_job[0]),
        ).fetchall()
        assert [proc for _, proc in jobs] == [
            "policy_refresh_continuous_aggregate",
            "policy_compression",
        ]

        # No background scheduler here: policies run only when called.
        conn.execute("call run_job(%s)", (compression_job[0],))
        chunks = conn.execute(
            "select count(*), count(*) filter (where is_compressed)"
            " from timescaledb_information.chunks where hypertable_name = %s",
            ("cagg_video_stats",),
        ).fetchone()
        assert chunks is not None and chunks[0] > 1 and chunks[0] == chunks[1]
        totals = conn.execute(
            "select count(*), sum(views) from cagg_video_stats where video_id = %s", ("v1",)
        ).fetchone()
        assert totals == (500, sum(n for v, _, _, n in rows if v == "v1"))


def test_executemany_beyond_one_protocol_call(conn: psycopg.Connection) -> None:
    # 6000 rows pipeline 12000+ protocol messages, past PGlite's 4096 per call.
    conn.execute("create table many_rows (id integer primary key, label text not null)")
    with conn.cursor() as cur:
        cur.executemany(
            "insert into many_rows (id, label) values (%s, %s)",
            [(i, f"row {i}") for i in range(6000)],
        )
    assert conn.execute("select count(*), sum(id) from many_rows").fetchone() == (
        6000,
        sum(range(6000)),
    )


def test_plpgsql_function_returning_a_table(conn: psycopg.Connection) -> None:
    conn.execute(
        """
        create table fn_views (video_id text not null, views integer not null);
        insert into fn_views values ('a', 5), ('a', 7), ('b', 3), ('c', 20);
        create function fn_top_videos(p_min integer)
        returns table (video_id text, total bigint)
        language plpgsql stable as $$
        begin
            return query
                select v.video_id, sum(v.views)::bigint
                from fn_views as v
                group by v.video_id
                having sum(v.views) >= p_min
                order by 2 desc;
        end
        $$;
        """
    )
    assert conn.execute("select * from fn_top_videos(%s)", (10,)).fetchall() == [
        ("c", 20),
        ("a", 12),
    ]


def test_statement_trigger_with_transition_table(conn: psycopg.Connection) -> None:
    conn.execute(
        """
        create table trg_events (id integer primary key, amount integer not null);
        create table trg_audit (statement_rows integer not null, total integer not null);
        create function trg_audit_insert() returns trigger language plpgsql as $$
        begin
            insert into trg_audit select count(*), coalesce(sum(amount), 0) from new_rows;
            return null;
        end
        $$;
        create trigger trg_events_audit after insert on trg_events
            referencing new table as new_rows
            for each statement execute function trg_audit_insert();
        """
    )
    conn.execute("insert into trg_events select g, g * 10 from generate_series(1, 5) as g")
    conn.execute("insert into trg_events values (%s, %s), (%s, %s)", (6, 1, 7, 2))
    assert conn.execute("select * from trg_audit order by statement_rows").fetchall() == [
        (2, 3),
        (5, 150),
    ]


def test_advisory_locks_from_two_connections(
    conn: psycopg.Connection, other_conn: psycopg.Connection
) -> None:
    conn.execute("select pg_advisory_lock(%s)", (4242,))
    # One backend session serves every connection, so session advisory locks are re-entrant
    # across connections: contention can only be tested on a real PostgreSQL.
    assert other_conn.execute("select pg_try_advisory_lock(%s)", (4242,)).fetchone() == (True,)
    assert other_conn.execute("select pg_advisory_unlock(%s)", (4242,)).fetchone() == (True,)
    assert conn.execute("select pg_advisory_unlock(%s)", (4242,)).fetchone() == (True,)
    with conn.transaction():
        assert conn.execute("select pg_try_advisory_xact_lock(%s)", (77,)).fetchone() == (True,)
    held = other_conn.execute(
        "select count(*) from pg_locks where locktype = 'advisory'"
    ).fetchone()
    assert held == (0,)


def test_two_connections_alternate_transactions(dsn: str) -> None:
    with psycopg.connect(dsn) as first, psycopg.connect(dsn) as second:
        with first.transaction():
            first.execute("create table alt_log (step integer primary key, who text not null)")
        for step in range(8):
            current = first if step % 2 == 0 else second
            with current.transaction():
                current.execute("insert into alt_log values (%s, %s)", (step, f"conn{step % 2}"))
                seen = current.execute("select count(*) from alt_log").fetchone()
            assert seen == (step + 1,)
        with second.transaction():
            second.execute("insert into alt_log values (%s, %s)", (100, "discarded"))
            second.execute("select 1")
            raise psycopg.Rollback()
        assert first.execute("select count(*) from alt_log").fetchone() == (8,)
        first.commit()


def _prepared_names(conn: psycopg.Connection, query_text: str) -> set[str]:
    rows = conn.execute(
        "select name from pg_prepared_statements where statement = %s", (query_text,)
    ).fetchall()
    return {name for (name,) in rows}


def test_auto_prepared_statements_do_not_collide(
    conn: psycopg.Connection, other_conn: psycopg.Connection
) -> None:
    query = "select %s::integer * 2, %s::text"
    server_text = "select $1::integer * 2, $2::text"
    for i in range(25):
        assert conn.execute(query, (i, "first")).fetchone() == (i * 2, "first")
        assert other_conn.execute(query, (i, "second")).fetchone() == (i * 2, "second")
    # psycopg prepared it on both connections under the same name (_pg3_N); the server keeps
    # them apart.
    assert len(_prepared_names(conn, server_text)) == 2

    # A DROP makes psycopg send DEALLOCATE ALL: it must only drop that connection's statements.
    other_conn.execute("drop table if exists never_created")
    assert len(_prepared_names(conn, server_text)) == 1
    for i in range(10):
        assert conn.execute(query, (i, "first")).fetchone() == (i * 2, "first")
        assert other_conn.execute(query, (i, "second")).fetchone() == (i * 2, "second")
    assert len(_prepared_names(conn, server_text)) == 2


def test_statement_error_then_recovery(dsn: str, conn: psycopg.Connection) -> None:
    with pytest.raises(errors.DivisionByZero):
        conn.execute("select 1 / 0")
    with pytest.raises(errors.DivisionByZero):
        conn.execute("select %s::integer / 0", (1,))
    with pytest.raises(errors.UndefinedTable):
        conn.execute("select * from no_such_table")
    assert conn.execute("select %s::integer", (3,)).fetchone() == (3,)

    with psycopg.connect(dsn) as tx_conn:
        tx_conn.execute("select 1")
        with pytest.raises(errors.DivisionByZero):
            tx_conn.execute("select 1 / 0")
        with pytest.raises(errors.InFailedSqlTransaction):
            tx_conn.execute("select 1")
        tx_conn.rollback()
        assert tx_conn.execute("select 2").fetchone() == (2,)
        tx_conn.commit()
    assert conn.execute("select 4").fetchone() == (4,)


def test_long_multi_statement_script(conn: psycopg.Connection) -> None:
    insert = sql.SQL("insert into script_rows values ({}, {})")
    statements = [sql.SQL("create table script_rows (id integer primary key, doubled integer)")]
    statements += [insert.format(i, i * 2) for i in range(400)]
    statements += [
        sql.SQL("update script_rows set doubled = doubled + 1 where id % 2 = 0"),
        sql.SQL("do $$ begin perform count(*) from script_rows; end $$"),
        sql.SQL("create index script_rows_doubled on script_rows (doubled)"),
    ]
    conn.execute(sql.SQL(";\n").join(statements))  # no parameters: one simple-protocol Query
    assert conn.execute("select count(*), sum(doubled) from script_rows").fetchone() == (
        400,
        sum(i * 2 for i in range(400)) + 200,
    )


def test_copy_from_stdin_is_refused_and_copy_to_stdout_works(conn: psycopg.Connection) -> None:
    conn.execute("create table copy_rows (id integer, label text)")
    with pytest.raises(errors.FeatureNotSupported, match="COPY FROM STDIN"):
        with conn.cursor() as cur, cur.copy("copy copy_rows from stdin") as copy:
            copy.write_row((1, "one"))
    conn.execute("insert into copy_rows values (1, 'one'), (2, 'two')")
    with conn.cursor() as cur:
        with cur.copy("copy (select id, label from copy_rows order by id) to stdout") as copy:
            copied = list(copy.rows())
    assert copied == [("1", "one"), ("2", "two")]


def test_waiting_connection_times_out_instead_of_deadlocking(
    dsn: str, other_conn: psycopg.Connection
) -> None:
    with psycopg.connect(dsn) as holder:
        holder.execute("create table held_rows (id integer)")  # opens a transaction
        started = time.monotonic()
        with pytest.raises(errors.LockNotAvailable):
            other_conn.execute("select 1")
        assert LOCK_TIMEOUT_S - 1 < time.monotonic() - started < LOCK_TIMEOUT_S + 5
        holder.commit()
    assert other_conn.execute("select count(*) from held_rows").fetchone() == (0,)


def test_disconnect_mid_transaction_rolls_back(dsn: str, conn: psycopg.Connection) -> None:
    conn.execute("create table abandoned_rows (id integer)")
    leaver = psycopg.connect(dsn)
    leaver.execute("insert into abandoned_rows values (%s)", (1,))
    leaver.close()
    started = time.monotonic()
    assert conn.execute("select count(*) from abandoned_rows").fetchone() == (0,)
    assert time.monotonic() - started < 1
