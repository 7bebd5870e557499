"""Bundle parse time: the DAG folder parsed by Airflow's DagBag in a fresh process
(median of three), and the per-file durations Airflow records (the first file
also pays for the provider imports that the DAG processor's parent has done once)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARSE = """
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
started = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
total = time.perf_counter() - started
print(json.dumps({"seconds": total, "dags": len(bag.dags), "errors": len(bag.import_errors),
                  "files": {s.file: s.duration.total_seconds() for s in bag.dagbag_stats}}))
"""


def parse_once() -> dict:
    env = os.environ | {
        "AIRFLOW_HOME": tempfile.mkdtemp(prefix="bench-airflow-"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
    }
    out = subprocess.run([sys.executable, "-c", PARSE, str(REPO / "dags")], check=True,
                         capture_output=True, text=True, cwd=REPO, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure() -> dict:
    runs = [parse_once() for _ in range(3)]
    median = statistics.median(r["seconds"] for r in runs)
    return {"seconds": median, "dags": runs[0]["dags"], "errors": runs[0]["errors"],
            "files": runs[0]["files"]}
