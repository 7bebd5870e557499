"""A throwaway local stack as `scripts/run` starts it, for tests of the first run."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ytempire_dev import devstack
from ytempire_dev.local_pg import free_port


@dataclass(frozen=True)
class Stack:
    env: dict  # the Airflow environment of the run (connections, AIRFLOW_HOME)
    uri: str  # the warehouse
    sim_url: str  # the YouTube simulator
    world: object  # the simulated world it serves (simulator.World)

    def first_run(self, history_days: int = devstack.HISTORY_DAYS) -> bool:
        return devstack.first_run(self.env, self.uri, self.world, history_days)


@contextmanager
def throwaway_stack(flavor: str):
    """Yields the Stack of a live local stack started now."""
    workdir = Path(tempfile.mkdtemp(prefix="ytempire-stack-"))
    workdir.chmod(0o755)  # the server may run as the postgres OS user
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    try:
        with devstack.stack(workdir, keep=False, live=True, port=free_port(), flavor=flavor,
                            start=start) as (env, uri, sim_url, _):
            yield Stack(env, uri, sim_url, devstack.simulated_world(start))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
