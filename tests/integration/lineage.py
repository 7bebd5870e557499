"""What a task's SQL reads and writes, derived from the statements it really ran, without
the asset declarations: each statement (recorded as the task executes it) is parsed by
OpenLineage's SQL parser with its placeholders substituted; a function it calls is
resolved to the function's body as deployed (`pg_proc`), recursively; a continuous
aggregate's refresh writes the aggregate and reads what its definition reads; COPY
writes its table. Partitions count as their parent table; the result keeps only
relations of the `analytics` schema, named as the project's SQL names them (always
schema-qualified, so CTE names and temporary tables drop out)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openlineage_sql
import psycopg
from psycopg import sql

PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s")
COMMENT = re.compile(r"--[^\n]*")
LITERAL = re.compile(r"'(?:[^']|'')*'")  # a name in a string is no call
COPY = re.compile(r"^\s*copy\s+([\w.\"]+)", re.IGNORECASE)
CALL = re.compile(r"\"?analytics\"?\.\"?(\w+)\"?\s*\(", re.IGNORECASE)
CAGG_REFRESH = re.compile(r"refresh_continuous_aggregate\s*\(", re.IGNORECASE)
# where an SQL statement may start inside a plpgsql statement (after `begin`, `if ...
# then`, `return query`, ...); `perform` is a select whose result is dropped
STATEMENT_START = re.compile(r"\b(with|select|insert|update|delete|perform)\b", re.IGNORECASE)


@dataclass
class Tables:
    inputs: set[str] = field(default_factory=set)
    outputs: set[str] = field(default_factory=set)

    def add(self, other: Tables) -> None:
        self.inputs |= other.inputs
        self.outputs |= other.outputs


@contextmanager
def recorded_statements() -> Iterator[dict]:
    """Every statement a running Airflow task executes, by (dag_id, task_id, map_index):
    [(statement text, params)]."""
    from airflow.sdk import get_current_context

    found: dict = defaultdict(list)
    execute, copy = psycopg.Cursor.execute, psycopg.Cursor.copy

    def record(cursor, statement, params) -> None:
        try:
            ti = get_current_context()["ti"]
        except Exception:  # not inside a task
            return
        text = statement.as_string(cursor) if isinstance(statement, sql.Composable) else str(
            statement)
        found[(ti.dag_id, ti.task_id, ti.map_index)].append((text, params))

    def recording_execute(self, query, params=None, **kwargs):
        record(self, query, params)
        return execute(self, query, params, **kwargs)

    def recording_copy(self, statement, params=None, **kwargs):
        record(self, statement, params)
        return copy(self, statement, params, **kwargs)

    psycopg.Cursor.execute, psycopg.Cursor.copy = recording_execute, recording_copy
    try:
        yield found
    finally:
        psycopg.Cursor.execute, psycopg.Cursor.copy = execute, copy


class Deriver:
    """Resolves statements to `analytics.<table>` names against one warehouse."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.relations = dict(conn.execute(
            "select c.relname, coalesce(p.relname, c.relname) from pg_class as c "
            "join pg_namespace as n on n.oid = c.relnamespace "
            "left join pg_inherits as i on i.inhrelid = c.oid "
            "left join pg_class as p on p.oid = i.inhparent "
            "where n.nspname = 'analytics' and c.relkind in ('r', 'p', 'v', 'm', 'f')"))
        self.functions: dict[str, Tables] = {}

    def statement(self, text: str, params=None) -> Tables:
        tables = Tables()
        if CAGG_REFRESH.search(text):
            return self._cagg_refresh(params)
        if (copied := COPY.match(text)) and not copied.group(1).startswith("pg_temp."):
            tables.outputs |= self._known({copied.group(1).replace('"', '')})
            return tables
        tables.add(self._parse(text))
        for name in {m.lower() for m in CALL.findall(LITERAL.sub("''", text))}:
            tables.add(self._function(name))
        return tables

    def _parse(self, text: str) -> Tables:
        text = PLACEHOLDER.sub("NULL", COMMENT.sub("", text)).replace("%%", "%")
        statements = [s for s in text.split(";") if s.strip()]
        try:
            # no default schema: the parser then loses the tables inside CTEs
            parsed = openlineage_sql.parse(statements, dialect="postgres")
        except Exception:
            return Tables()
        if parsed is None:
            return Tables()
        return Tables(self._known({str(t) for t in parsed.in_tables}),
                      self._known({str(t) for t in parsed.out_tables}))

    def _function(self, name: str) -> Tables:
        if name in self.functions:
            return self.functions[name]
        self.functions[name] = Tables()  # recursion guard
        bodies = [body for (body,) in self.conn.execute(
            "select p.prosrc from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace "
            "join pg_language as l on l.oid = p.prolang "
            "where n.nspname = 'analytics' and p.proname = %s and l.lanname in ('sql', 'plpgsql')",
            (name,))]
        tables = Tables()
        for body in bodies:
            for chunk in COMMENT.sub("", body).split(";"):
                # each place a statement may start: the ones that parse are the statements
                for start in STATEMENT_START.finditer(chunk):
                    text = chunk[start.start():]
                    if start.group(1).lower() == "perform":
                        text = "select" + text[len("perform"):]
                    tables.add(self._parse(text))
            for called in {m.lower() for m in CALL.findall(LITERAL.sub("''", body))} - {name}:
                tables.add(self._function(called))
        self.functions[name] = tables
        return tables

    def _cagg_refresh(self, params) -> Tables:
        cagg = str(params["rollup"]).split(".")[-1]
        (definition,) = self.conn.execute(
            "select view_definition from timescaledb_information.continuous_aggregates "
            "where view_schema = 'analytics' and view_name = %s", (cagg,)).fetchone()
        read = self._parse(definition)
        return Tables(read.inputs, {f"analytics.{cagg}"})

    def _known(self, names: set[str]) -> set[str]:
        out = set()
        for name in names:
            schema, _, table = name.rpartition(".")
            if schema.split(".")[-1] == "analytics" and table in self.relations:
                out.add(f"analytics.{self.relations[table]}")
        return out

    def task(self, statements: list[tuple[str, object]]) -> Tables:
        tables = Tables()
        for text, params in statements:
            tables.add(self.statement(text, params))
        return tables


def lineage_events(path: Path, run_ids: set[str]) -> dict:
    """The COMPLETE events of the given DAG runs' tasks from the file transport:
    {(dag_id, task_id, map_index): Tables} with `analytics.<table>` names, and the
    (namespace, database) pairs the datasets were named under."""
    found: dict = {}
    namespaces = set()
    for line in path.read_text().splitlines():
        event = json.loads(line)
        facet = event["run"]["facets"].get("airflow") or {}
        ti, dag_run = facet.get("taskInstance") or {}, facet.get("dagRun") or {}
        if event["eventType"] != "COMPLETE" or dag_run.get("run_id") not in run_ids or not ti:
            continue
        datasets = {}
        for side in ("inputs", "outputs"):
            names = set()
            for dataset in event.get(side) or []:
                database, _, name = dataset["name"].partition(".")
                namespaces.add((dataset["namespace"], database))
                names.add(name)
            datasets[side] = names
        key = (facet["dag"]["dag_id"], facet["task"]["task_id"], ti.get("map_index", -1))
        found[key] = Tables(datasets["inputs"], datasets["outputs"])
    return found, namespaces
