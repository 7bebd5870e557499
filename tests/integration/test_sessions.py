"""Every warehouse session the bundle opens starts with its timeouts and keepalives
(ytempire.warehouse.session_settings): the loads' and checks' connection, the check
operators' hook, and the deploy's owner connection with its own budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import airflow_uri

from ytempire import settings, warehouse
from ytempire.airflow import integrity_check
from ytempire.quality.checks import REGISTRY, ColumnRules, TableRules

SHOWN = ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout",
         "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count",
         "client_connection_check_interval")


def shown(conn) -> dict[str, str]:
    return {name: conn.execute(f"show {name}").fetchone()[0] for name in SHOWN}


def expected(statement: str, lock: str) -> dict[str, str]:
    """What PostgreSQL shows for the default settings (in its own units)."""
    return {"lock_timeout": lock, "statement_timeout": statement,
            "idle_in_transaction_session_timeout": "2min", "tcp_keepalives_idle": "30",
            "tcp_keepalives_interval": "10", "tcp_keepalives_count": "3",
            "client_connection_check_interval": "10s"}


def test_the_defaults_are_what_the_design_promises():
    assert settings.LOCK_TIMEOUT == timedelta(seconds=60)
    assert settings.STATEMENT_TIMEOUT == timedelta(seconds=900)
    assert settings.IDLE_IN_TRANSACTION_TIMEOUT == timedelta(seconds=120)
    assert settings.DDL_LOCK_TIMEOUT == timedelta(seconds=10)


def test_every_session_starts_with_its_timeouts_and_keepalives(warehouse_connection,
                                                               monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER",
                       airflow_uri(warehouse_connection))
    with warehouse.connect() as conn:
        assert shown(conn) == expected("15min", "1min")
        parameters = conn.info.get_parameters()
        assert {k: parameters.get(k) for k in warehouse.CLIENT_KEEPALIVES} == {
            "keepalives": "1", "keepalives_idle": "30", "keepalives_interval": "10",
            "keepalives_count": "3"}
    rules = next(c for c in REGISTRY.all_checks() if isinstance(c, TableRules | ColumnRules))
    with integrity_check(rules, conn_id=settings.WAREHOUSE_CONN_ID).get_db_hook().get_conn() as conn:
        assert shown(conn) == expected("15min", "1min")
    with warehouse.connect_owner() as conn:
        assert shown(conn) == expected("1h", "10s")
    with warehouse.connect() as conn, conn.transaction():
        warehouse.set_lock_timeout(conn, settings.DDL_LOCK_TIMEOUT)
        assert conn.execute("show lock_timeout").fetchone()[0] == "10s"


@pytest.mark.parametrize("name", ["lock_timeout_seconds", "statement_timeout_seconds"])
def test_a_bad_timeout_setting_fails_with_its_name(monkeypatch, name):
    from pydantic import ValidationError

    monkeypatch.setenv(f"YTEMPIRE_{name.upper()}", "-1")
    with pytest.raises(ValidationError, match=name):
        settings.Settings()
