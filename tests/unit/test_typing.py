"""The type checker of scripts/test (mypy, configured in pyproject.toml) catches a wrong
parameter type where a DAG or the library calls the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CALL = """
from datetime import UTC, datetime

from ytempire import airflow as af
from ytempire.youtube import hourly

hour = hourly.collection_hour(datetime(2026, 11, 20, 12, tzinfo=UTC))
af.ensure_fact_partitions({start}, hour)
"""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    module = tmp_path / "call_site.py"
    module.write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
         str(module)],  # the project's own cache: warm after scripts/test's run
        cwd=REPO, capture_output=True, text=True)


def test_a_string_where_a_datetime_belongs_is_caught(tmp_path):
    wrong = mypy(tmp_path, CALL.format(start='"2026-11-20T11:00:00Z"'))
    assert wrong.returncode == 1, wrong.stdout
    assert 'Argument 1 to "ensure_fact_partitions" has incompatible type "str"' in wrong.stdout
    assert "[arg-type]" in wrong.stdout


def test_the_same_call_with_a_datetime_passes(tmp_path):
    right = mypy(tmp_path, CALL.format(start="hour"))
    assert right.returncode == 0, right.stdout
