"""Where Airflow ends: DAG files wire tasks (no SQL, no connection of their own), the
library below `ytempire.airflow` imports no Airflow except the hooks that open its
connections, and Airflow's own rules (ruff `AIR`, preview) hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "plugins" / "ytempire"
DAG_FILES = sorted((REPO / "dags").glob("*.py"))
# The Airflow-facing modules, and the one hook each connection-opening module may use.
AIRFLOW_FACING = {"airflow.py", "assets.py"}
CONNECTION_HOOKS = {
    "warehouse.py": {"airflow.providers.postgres.hooks.postgres"},
    "youtube/client.py": {"airflow.sdk"},
    "quality/runner.py": {"airflow.providers.slack.hooks.slack_webhook"},
    # the owner connection of the schema deploy, and its fallback where it is absent
    "schema_deploy.py": {"airflow.sdk", "airflow.sdk.exceptions"},
}


def airflow_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "airflow"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "airflow":
            found.add(node.module)
    return found


def library_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if str(p.relative_to(PACKAGE)) not in AIRFLOW_FACING]


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_library_imports_no_airflow_but_its_connection_hooks(path):
    allowed = CONNECTION_HOOKS.get(str(path.relative_to(PACKAGE)), set())
    assert airflow_imports(path) <= allowed


def test_the_rule_sees_an_airflow_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from airflow.sdk.exceptions import AirflowException\n")
    assert airflow_imports(module) == {"airflow.sdk.exceptions"}


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_dag_files_run_no_sql_and_open_no_connection(path):
    source = path.read_text()
    imported = {a.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
                for a in node.names}
    assert not imported & {"connect", "sql_file", "copy_rows", "fetch_one", "logged_step"}
    assert ".execute(" not in source and "cursor(" not in source


def test_ruff_airflow_rules_with_preview_are_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "AIR", "--preview",
                          "--no-cache", str(REPO / "dags"), str(PACKAGE)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
