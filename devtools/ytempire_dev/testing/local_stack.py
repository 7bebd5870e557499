"""A throwaway local stack as `scripts/run` starts it, for tests of the first run."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ytempire_dev import devstack
from ytempire_dev.local_pg import free_port


@contextmanager
def throwaway_stack(flavor: str):
    """Yields (environment, warehouse URI, simulated world) of a live stack started now."""
    workdir = Path(tempfile.mkdtemp(prefix="ytempire-stack-"))
    workdir.chmod(0o755)  # the server may run as the postgres OS user
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    try:
        with devstack.stack(workdir, keep=False, live=True, port=free_port(), flavor=flavor,
                            start=start) as (env, uri, _, _):
            yield env, uri, devstack.simulated_world(start)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
