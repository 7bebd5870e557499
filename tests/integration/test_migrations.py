"""The versioned migrations: ordered, recorded, idempotent, locked, immutable; and the
move-over of a warehouse deployed with the retired history."""

import re
import shutil
import threading
from datetime import UTC, datetime

import psycopg
import pytest

from ytempire import migrations, repeatables, schema_deploy
from ytempire.warehouse import sql_file


def _deploy(dsn, directory=migrations.MIGRATIONS_DIR):
    with psycopg.connect(dsn) as conn:
        return schema_deploy.deploy(conn, directory)


def test_first_deploy_applies_every_migration_in_order_and_records_it(empty_database_dsn, db_path):
    files = [m.path.name for m in migrations.discover(db_path)]
    result = _deploy(empty_database_dsn)
    assert result.flavor == db_path
    assert result.applied == files
    with psycopg.connect(empty_database_dsn) as conn:
        rows = conn.execute(
            "select version, flavor, length(checksum), duration_ms >= 0 "
            "from analytics.schema_migrations order by version"
        ).fetchall()
    assert [r[0] for r in rows] == [m.version for m in migrations.discover(db_path)]
    assert all(r[1:] == (db_path, 64, True) for r in rows)


def test_second_deploy_applies_nothing(empty_database_dsn, db_path):
    _deploy(empty_database_dsn)
    again = _deploy(empty_database_dsn)
    assert again.applied == []
    assert again.already_applied == len(migrations.discover(db_path))


def test_changed_applied_migration_is_a_clear_error(empty_database_dsn, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    _deploy(empty_database_dsn, directory)
    edited = directory / "0102_landing_and_operations.sql"
    edited.write_text(edited.read_text() + "\n-- edited after release\n")
    with pytest.raises(migrations.MigrationError, match="0102_landing_and_operations.sql changed"):
        _deploy(empty_database_dsn, directory)


def test_new_migration_is_applied_after_the_others(empty_database_dsn, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    _deploy(empty_database_dsn, directory)
    (directory / "9999_add_probe.sql").write_text("create table analytics.probe (id int);")
    result = _deploy(empty_database_dsn, directory)
    assert result.applied == ["9999_add_probe.sql"]


def test_failing_migration_leaves_nothing_behind(empty_database_dsn, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    (directory / "9999_broken.sql").write_text(
        "create table analytics.half_done (id int);\nselect no_such_function();"
    )
    with pytest.raises(migrations.MigrationError, match="9999_broken.sql failed"):
        _deploy(empty_database_dsn, directory)
    with psycopg.connect(empty_database_dsn) as conn:
        assert conn.execute("select to_regclass('analytics.half_done')").fetchone()[0] is None
        assert conn.execute(
            "select count(*) from analytics.schema_migrations where version = 9999"
        ).fetchone()[0] == 0


def test_concurrent_deploys_are_serialised(empty_database_dsn, db_path):
    results, errors = [], []

    def run():
        try:
            results.append(_deploy(empty_database_dsn))
        except Exception as err:  # collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    applied = sorted(len(r.applied) for r in results)
    assert applied == [0, 0, len(migrations.discover(db_path))]


def test_no_transaction_migration_builds_a_valid_index_concurrently(empty_database_dsn, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    (directory / "9999_concurrent_index.sql").write_text(
        "-- migrate: no-transaction\n"
        "create index concurrently if not exists idx_probe_revenue_day\n"
        "on analytics.revenue_attribution (revenue_date, video_id);\n")
    assert migrations.discover("plain", directory)[-1].transactional is False
    assert _deploy(empty_database_dsn, directory).applied[-1] == "9999_concurrent_index.sql"
    assert _index_valid(empty_database_dsn, "idx_probe_revenue_day") == (True,)
    assert _index_valid(empty_database_dsn, "idx_revenue_date_channel") == (True,)


def test_extensions_live_in_public_not_analytics(warehouse, db_path):
    rows = warehouse.execute(
        "select e.extname, n.nspname from pg_extension e "
        "join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql' order by 1"
    ).fetchall()
    timescaledb = [("timescaledb", "public")] if db_path == "timescale" else []
    assert rows == [("pg_stat_statements", "public"), *timescaledb]


def test_roles_can_read_and_load(warehouse):
    granted = warehouse.execute(
        "select has_table_privilege('ytempire_reader', 'analytics.revenue_attribution', 'select'),"
        " has_table_privilege('ytempire_reader', 'analytics.revenue_attribution', 'insert'),"
        " has_table_privilege('ytempire_loader', 'analytics.fact_video_performance', 'insert')"
    ).fetchone()
    assert granted == (True, False, True)


def test_file_names_are_validated(tmp_path):
    (tmp_path / "0001_ok.plain.sql").write_text("select 1")
    with pytest.raises(migrations.MigrationError, match="one file per path"):
        migrations.discover("plain", tmp_path)
    (tmp_path / "bad name.sql").write_text("select 1")
    with pytest.raises(migrations.MigrationError, match="NNNN_name"):
        migrations.discover("plain", tmp_path)


@pytest.mark.parametrize("files", [
    ("0120_forecasts.sql", "0120_chaos_extra.sql"),
    ("0120_a.plain.sql", "0120_a.timescale.sql", "0120_b.plain.sql", "0120_b.timescale.sql"),
    ("0120_a.plain.sql", "0120_b.timescale.sql"),
])
def test_two_migrations_with_one_version_are_refused(tmp_path, files):
    """One would silently hide the other (a collision between two branches did)."""
    for name in files:
        (tmp_path / name).write_text("select 1")
    with pytest.raises(migrations.MigrationError, match="have the same version"):
        migrations.discover("plain", tmp_path)


def _index_valid(dsn, name):
    with psycopg.connect(dsn) as conn:
        return conn.execute("select indisvalid from pg_index where indexrelid = %s::regclass",
                            (f"analytics.{name}",)).fetchone()


def _probe_with_failed_concurrent_index(dsn, directory):
    """A table whose concurrent unique index failed on duplicates: left INVALID."""
    _deploy(dsn, directory)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create table analytics.probe (id int)")
        conn.execute("insert into analytics.probe values (1), (1)")
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("create unique index concurrently probe_id on analytics.probe (id)")
    assert _index_valid(dsn, "probe_id") == (False,)
    (directory / "9999_probe_index.sql").write_text(
        "-- migrate: no-transaction\n"
        "create unique index concurrently if not exists probe_id on analytics.probe (id);\n")


def test_an_invalid_index_left_by_a_failed_concurrent_build_is_rebuilt(empty_database_dsn,
                                                                       tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    _probe_with_failed_concurrent_index(empty_database_dsn, directory)
    with psycopg.connect(empty_database_dsn, autocommit=True) as conn:
        conn.execute("delete from analytics.probe where ctid = (select min(ctid) from analytics.probe)")
    assert _deploy(empty_database_dsn, directory).applied == ["9999_probe_index.sql"]
    assert _index_valid(empty_database_dsn, "probe_id") == (True,)


def test_an_index_that_stays_invalid_fails_the_migration_unrecorded(empty_database_dsn, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    _probe_with_failed_concurrent_index(empty_database_dsn, directory)
    with pytest.raises(migrations.MigrationError, match="9999_probe_index.sql"):
        _deploy(empty_database_dsn, directory)
    with psycopg.connect(empty_database_dsn) as conn:
        assert conn.execute("select count(*) from analytics.schema_migrations where version = 9999"
                            ).fetchone() == (0,)


def test_detection_asks_the_server_and_keeps_the_connection(empty_database_dsn, db_path):
    """TimescaleDB is installed on both test servers; only the timescale one preloads it.
    Installed and preloaded: the TimescaleDB path. Installed, not preloaded: the plain
    path, on a connection that stays usable (trying `create extension` there is FATAL)."""
    with psycopg.connect(empty_database_dsn, autocommit=True) as conn:
        installed = conn.execute("select default_version from pg_available_extensions "
                                 "where name = 'timescaledb'").fetchone()
        assert installed == ("2.28.3",)
        result = schema_deploy.deploy(conn)
        assert result.flavor == db_path
        assert conn.execute("select count(*) from analytics.schema_migrations").fetchone() == (
            len(migrations.discover(db_path)),)
        created = conn.execute("select count(*) from pg_extension where extname = 'timescaledb'"
                               ).fetchone()[0]
        assert created == (1 if db_path == "timescale" else 0)
    if db_path == "plain":  # the hazard the detection avoids
        with psycopg.connect(empty_database_dsn, autocommit=True) as doomed:
            with pytest.raises(psycopg.Error, match="must be preloaded"):
                doomed.execute("create extension timescaledb")
            assert doomed.closed or doomed.broken, "the server ended the session"


# --- a warehouse of the retired history (versions below 0100) ---------------------------------

RETIRED = [(int(v), n) for v, n in re.findall(
    r"\((\d+), '([a-z0-9_]+)'\)", sql_file("deploy/retired_history.sql"))]
FIRST_DEPLOY = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _as_if_deployed_with_the_retired_history(dsn, flavor, rows=RETIRED):
    """Today's schema recorded the way the retired migrations recorded it, with
    functions from before the rewrite (one stands for all: a different body)."""
    _deploy(dsn)
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute("delete from analytics.schema_migrations")
        conn.execute("delete from analytics.schema_repeatables")
        for version, name in rows:
            conn.execute("insert into analytics.schema_migrations"
                         " (version, name, flavor, checksum, applied_at, duration_ms)"
                         " values (%s, %s, %s, %s, %s, 1)",
                         (version, name, flavor, "0" * 64, FIRST_DEPLOY))
        conn.execute("create or replace function analytics.cost_category(p_cost_type text)"
                     " returns text language sql immutable as $$ select 'retired' $$")


def test_a_warehouse_of_the_retired_history_is_moved_over(empty_database_dsn, db_path):
    assert len(RETIRED) == 25 and RETIRED[-1] == (92, "channel_performance_view_daily")
    _as_if_deployed_with_the_retired_history(empty_database_dsn, db_path)
    result = _deploy(empty_database_dsn)
    assert result.applied == []
    assert result.repeatables == [f.name for f in repeatables.discover(db_path)]
    with psycopg.connect(empty_database_dsn) as conn:
        rows = conn.execute("select version, name, flavor, checksum, applied_at, baseline"
                            " from analytics.schema_migrations order by version").fetchall()
        assert conn.execute("select analytics.cost_category('api_calls')").fetchone() == ("api",)
    assert rows == [(m.version, m.name, db_path, migrations.checksum(m.path.read_text()),
                     FIRST_DEPLOY, True) for m in migrations.discover(db_path)]
    again = _deploy(empty_database_dsn)
    assert (again.applied, again.repeatables) == ([], [])


def test_part_of_the_retired_history_is_a_clear_error(empty_database_dsn, db_path):
    rows = [r for r in RETIRED if r[0] != 92] + [(95, "local_experiment")]
    _as_if_deployed_with_the_retired_history(empty_database_dsn, db_path, rows)
    with pytest.raises(migrations.MigrationError,
                       match=r"0092_channel_performance_view_daily \(missing\), 0095_local_experiment "
                             r"\(unknown\)\. Deploy the last release"):
        _deploy(empty_database_dsn)
    with psycopg.connect(empty_database_dsn) as conn:
        assert conn.execute("select array_agg(version order by version)"
                            " from analytics.schema_migrations").fetchone()[0] == [v for v, _ in rows]
