"""Repeatable warehouse code (include/sql/warehouse): every function, view and trigger in
exactly one file named after it, applied in the order the files declare, re-applied
only when it changed (or something it requires was, or a migration ran), recorded,
and all or nothing per deploy."""

import re
import shutil

import psycopg
import pytest
import sqlparse

from ytempire import migrations, repeatables, schema_deploy, settings

WAREHOUSE = repeatables.WAREHOUSE_DIR


def _deploy(conn, warehouse_dir=WAREHOUSE, migrations_dir=migrations.MIGRATIONS_DIR):
    return schema_deploy.deploy(conn, migrations_dir, warehouse_dir)


def _records(conn) -> list[tuple]:
    return conn.execute("select name, reason, checksum from analytics.schema_repeatables"
                        " order by id").fetchall()


@pytest.fixture
def code_dir(tmp_path):
    """A copy of include/sql/warehouse to edit."""
    directory = tmp_path / "warehouse"
    shutil.copytree(WAREHOUSE, directory)
    return directory


def _edit(directory, flavor, name, old, new):
    path = next(f.path for f in repeatables.discover(flavor, directory) if f.name == name)
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


# --- one file per object, declared order ------------------------------------------------------

def test_every_function_view_and_trigger_lives_in_the_file_named_after_it(warehouse, db_path):
    conn = warehouse
    files = {f.name: f for f in repeatables.discover(db_path)}
    functions = {name for (name,) in conn.execute(
        "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname = 'analytics'")}
    views = {name for (name,) in conn.execute(
        "select viewname from pg_views where schemaname = 'analytics'")}
    if db_path == "timescale":  # continuous aggregates are table-like: migrations
        views -= {name for (name,) in conn.execute(
            "select view_name from timescaledb_information.continuous_aggregates")}
    assert {f"functions/{name}" for name in functions} | {f"views/{name}" for name in views} == set(files)
    triggers = conn.execute(
        "select t.tgname, p.proname from pg_trigger t join pg_proc p on p.oid = t.tgfoid"
        " join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'analytics' and not t.tgisinternal").fetchall()
    assert triggers
    for trigger, function in triggers:
        assert f"create or replace trigger {trigger} " in files[f"functions/{function}"].path.read_text()


def test_no_function_or_view_is_defined_anywhere_else_under_include_sql():
    """The Done-when of issue 17: a function's body exists in exactly one place (a
    .plain/.timescale pair counts as one place: one file per path)."""
    definition = re.compile(r"create\s+(?:or\s+replace\s+)?(function|view)\s+analytics\.(\w+)", re.I)
    places: dict[str, set] = {}
    for path in settings.SQL_DIR.rglob("*.sql"):
        for kind, name in definition.findall(path.read_text()):
            places.setdefault(f"{kind.lower()}s/{name}", set()).add(path)
    assert len(places) > 30
    for name, paths in places.items():
        kind, obj = name.split("/")
        assert {p.parent for p in paths} == {WAREHOUSE / kind}, paths
        assert sorted(p.name for p in paths) in (
            [f"{obj}.sql"], [f"{obj}.plain.sql"], [f"{obj}.timescale.sql"],
            [f"{obj}.plain.sql", f"{obj}.timescale.sql"]), paths


@pytest.mark.parametrize("flavor", migrations.FLAVORS)
def test_every_file_requires_the_repeatable_objects_it_uses(flavor):
    files = repeatables.discover(flavor)
    names = {f.name.split("/")[1]: f.name for f in files}
    for file in files:
        code = sqlparse.format(file.path.read_text(), strip_comments=True)
        used = {names[n] for n in re.findall(r"analytics\.(\w+)", code) if n in names} - {file.name}
        assert used <= set(file.requires), (file.name, used - set(file.requires))


@pytest.mark.parametrize("flavor", migrations.FLAVORS)
def test_files_come_after_what_they_require(flavor):
    order = [f.name for f in repeatables.discover(flavor)]
    position = {name: i for i, name in enumerate(order)}
    pairs = [(needed, f.name) for f in repeatables.discover(flavor) for needed in f.requires]
    assert pairs and all(position[needed] < position[name] for needed, name in pairs)
    assert order.index("views/channel_performance_view") > order.index("views/channel_daily_current")


def test_bad_layouts_are_clear_errors(tmp_path):
    kind = tmp_path / "functions"
    kind.mkdir()
    (kind / "a.sql").write_text("-- requires: functions/b\nselect 1;\n")
    (kind / "b.sql").write_text("-- requires: functions/a\nselect 1;\n")
    with pytest.raises(migrations.MigrationError, match="cycle"):
        repeatables.discover("plain", tmp_path)
    (kind / "b.sql").write_text("-- requires: functions/c\nselect 1;\n")
    with pytest.raises(migrations.MigrationError, match="requires functions/c"):
        repeatables.discover("plain", tmp_path)
    (kind / "b.sql").write_text("select 1;\n")
    (kind / "b.plain.sql").write_text("select 1;\n")
    with pytest.raises(migrations.MigrationError, match="both a shared and a per-path file"):
        repeatables.discover("plain", tmp_path)
    (kind / "b.plain.sql").rename(kind / "B c.sql")
    with pytest.raises(migrations.MigrationError, match="named <object>"):
        repeatables.discover("plain", tmp_path)


def test_a_file_for_one_path_exists_on_that_path_only():
    plain = {f.name for f in repeatables.discover("plain")}
    timescale = {f.name for f in repeatables.discover("timescale")}
    assert "views/pending_daily_buckets" in plain - timescale
    assert "functions/log_fact_changes" in plain - timescale


# --- applied when due, recorded ---------------------------------------------------------------

def test_first_deploy_applies_every_file_once_and_records_it(warehouse, db_path):
    rows = warehouse.execute(
        "select name, flavor, reason, length(checksum), duration_ms >= 0"
        " from analytics.schema_repeatables order by id").fetchall()
    assert [r[0] for r in rows] == [f.name for f in repeatables.discover(db_path)]
    assert all(r[1:] == (db_path, "new", 64, True) for r in rows)


def test_an_unchanged_file_is_not_applied_again(warehouse):
    """Proved by the object, not only the record: a function changed by hand in the
    warehouse keeps the hand-made body through a deploy whose file did not change."""
    conn = warehouse
    conn.execute("create or replace function analytics.cost_category(p_cost_type text)"
                 " returns text language sql immutable as $$ select 'by hand' $$")
    before = _records(conn)
    result = _deploy(conn)
    assert result.repeatables == []
    assert _records(conn) == before
    assert conn.execute("select analytics.cost_category('api_calls')").fetchone() == ("by hand",)


def test_a_changed_file_is_applied_and_recorded(warehouse, code_dir, db_path):
    conn = warehouse
    assert conn.execute("select analytics.cost_category('youtube_api')").fetchone() == (
        "infrastructure",)
    _edit(code_dir, db_path, "functions/cost_category", "when p_cost_type = 'api_calls'",
          "when p_cost_type in ('api_calls', 'youtube_api')")
    result = _deploy(conn, code_dir)
    assert result.repeatables == ["functions/cost_category"]
    assert conn.execute("select analytics.cost_category('youtube_api')").fetchone() == ("api",)
    name, reason, digest = _records(conn)[-1]
    assert (name, reason) == ("functions/cost_category", "changed")
    assert digest == migrations.checksum((code_dir / "functions/cost_category.sql").read_text())
    assert _deploy(conn, code_dir).repeatables == []


def test_a_file_that_drops_its_view_brings_back_what_requires_it(warehouse, code_dir, db_path):
    """A view's columns change by dropping it (CASCADE); the files requiring it are
    applied again in the same deploy, so nothing that depended on it goes missing."""
    conn = warehouse
    _edit(code_dir, db_path, "views/channel_daily_current", "create or replace view",
          "drop view if exists analytics.channel_daily_current cascade;\ncreate view")
    applied = _deploy(conn, code_dir).repeatables
    assert applied[0] == "views/channel_daily_current"
    assert set(applied) == {"views/channel_daily_current", "views/channel_performance_view",
                            "functions/daily_series", "functions/videos_above_daily_views"}
    reasons = dict((name, reason) for name, reason, _ in _records(conn)[-len(applied):])
    assert reasons["views/channel_performance_view"] == "requires views/channel_daily_current"
    assert conn.execute("select count(*) from analytics.channel_performance_view").fetchone() == (0,)


def test_a_migration_applies_every_file_again(warehouse, tmp_path, db_path):
    """A migration may drop what a file defines (here a view over a column it changes):
    after a deploy that applied a migration, every file is applied again."""
    conn = warehouse
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    (directory / "9999_wider_niche.sql").write_text(
        "drop view analytics.channel_performance_view;\n"
        "alter table analytics.dim_channel alter column niche type varchar(200);\n")
    result = _deploy(conn, migrations_dir=directory)
    assert result.applied == ["9999_wider_niche.sql"]
    assert result.repeatables == [f.name for f in repeatables.discover(db_path)]
    assert {reason for _, reason, _ in _records(conn)[-len(result.repeatables):]} == {
        "migrations applied"}
    assert conn.execute("select to_regclass('analytics.channel_performance_view')").fetchone()[0]


def test_a_failing_file_applies_no_file_of_its_deploy(warehouse, code_dir, db_path):
    conn = warehouse
    _edit(code_dir, db_path, "functions/cost_category", "when p_cost_type = 'api_calls'",
          "when p_cost_type in ('api_calls', 'youtube_api')")
    _edit(code_dir, db_path, "views/unattributed_inputs", "select", "selec")
    before = _records(conn)
    with pytest.raises(migrations.MigrationError, match="views/unattributed_inputs"):
        _deploy(conn, code_dir)
    assert _records(conn) == before
    assert conn.execute("select analytics.cost_category('youtube_api')").fetchone() == (
        "infrastructure",)


def test_repeatables_are_recorded_per_path(empty_database_dsn, db_path):
    with psycopg.connect(empty_database_dsn, autocommit=True) as conn:
        result = _deploy(conn)
        assert result.repeatables == [f.name for f in repeatables.discover(db_path)]
        assert conn.execute("select distinct flavor from analytics.schema_repeatables"
                            ).fetchall() == [(db_path,)]
