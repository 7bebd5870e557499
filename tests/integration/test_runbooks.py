"""Every SQL block of the runbooks (docs/runbooks/*.md) runs on a deployed warehouse of
both database paths, as written."""

from __future__ import annotations

import re

import pytest

from ytempire_dev.testing.runbooks import RUNBOOK_DIR

SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.DOTALL)
BLOCKS = [
    pytest.param(block, id=f"{path.stem}-{n}")
    for path in sorted(RUNBOOK_DIR.glob("*.md"))
    for n, block in enumerate(SQL_BLOCK.findall(path.read_text()), 1)
]


def test_the_runbooks_have_sql():
    assert len(BLOCKS) >= 15


@pytest.mark.parametrize("block", BLOCKS)
def test_runbook_sql_runs(warehouse, block):
    for statement in filter(str.strip, block.split(";")):
        warehouse.execute(statement)
