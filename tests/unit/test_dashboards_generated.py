"""The committed Grafana files are exactly what ytempire_dev.dashboards generates, and
the dashboards validate against grafana-foundation-sdk's JSON Schema
(tests/unit/data/grafana-dashboard.jsonschema.json: jsonschema/dashboard.jsonschema.json of
github.com/grafana/grafana-foundation-sdk, commit f178d5a42a8915fdda9235e97ad93881e3f94fef)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from ytempire_dev import dashboards

REPO = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).parent / "data" / "grafana-dashboard.jsonschema.json"


def test_committed_files_equal_the_generated_ones():
    generated = dashboards.generated_files()
    on_disk = {
        p.relative_to(REPO)
        for p in (REPO / "include" / "grafana").rglob("*")
        if p.is_file()
    }
    assert on_disk == set(generated), "run `python -m ytempire_dev.dashboards`"
    for relative, text in generated.items():
        assert (REPO / relative).read_text() == text, (
            f"{relative} differs from the generator's output: run `python -m ytempire_dev.dashboards`"
        )


@pytest.mark.parametrize("name", sorted(dashboards.DASHBOARDS))
def test_dashboard_validates_against_the_sdk_schema(name):
    schema = json.loads(SCHEMA.read_text())
    doc = json.loads((dashboards.DASHBOARDS_DIR / name).read_text())
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    assert not errors, errors


@pytest.mark.parametrize("name", sorted(dashboards.DASHBOARDS))
def test_every_target_is_raw_sql_from_a_file_with_an_explicit_format(name):
    doc = json.loads((dashboards.DASHBOARDS_DIR / name).read_text())
    assert doc["editable"] is False, "provisioned dashboards are read-only"
    sql_texts = {p.read_text() for p in (REPO / "include" / "sql" / "dashboards").glob("*.sql")}
    for panel in doc["panels"]:
        (target,) = panel["targets"]
        assert target["datasource"] == {
            "type": "grafana-postgresql-datasource", "uid": dashboards.DATASOURCE_UID}
        assert target["rawQuery"] is True and target["editorMode"] == "code"
        assert target["format"] == ("time_series" if panel["type"] == "timeseries" else "table")
        assert target["rawSql"] in sql_texts
        # a macro's arguments cannot contain ')'
        for args in re.findall(r"\$__\w+\(([^)]*)\)", target["rawSql"]):
            assert "(" not in args


def test_provisioning_points_at_the_dashboards_and_the_reporting_role():
    provisioning = REPO / "include" / "grafana" / "provisioning"
    (source,) = yaml.safe_load((provisioning / "datasources" / "warehouse.yaml").read_text())[
        "datasources"]
    assert source["uid"] == dashboards.DATASOURCE_UID
    assert source["type"] == "grafana-postgresql-datasource"
    assert source["jsonData"]["database"], "the database must be in jsonData"
    assert isinstance(source["jsonData"]["timescaledb"], bool)
    assert source["secureJsonData"]["password"].startswith("$")
    (provider,) = yaml.safe_load((provisioning / "dashboards" / "ytempire.yaml").read_text())[
        "providers"]
    assert provider["type"] == "file" and provider["allowUiUpdates"] is False
    uids = {json.loads(p.read_text())["uid"] for p in dashboards.DASHBOARDS_DIR.glob("*.json")}
    assert uids == {dashboards.EXECUTIVE_UID, dashboards.CHANNELS_UID, dashboards.EXPERIMENTS_UID}
