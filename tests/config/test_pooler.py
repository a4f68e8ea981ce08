"""PgBouncer-ready: transaction pooling leaves nothing on a server connection between
transactions, and the replica alias mirrors the primary's settings."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.databases import behind_pooler, replica_of

ROOT = Path(__file__).resolve().parents[2]
PRIMARY: dict[str, Any] = {
    "NAME": "footing",
    "USER": "footing_app",
    "PASSWORD": "secret",
    "HOST": "db",
    "PORT": "5432",
    "CONN_MAX_AGE": 60,
    "OPTIONS": {"application_name": "footing-web", "connect_timeout": 3},
}


def test_without_a_pooler_the_connection_is_unchanged() -> None:
    assert behind_pooler(PRIMARY, "") == PRIMARY


def test_behind_pgbouncer_no_server_side_cursor_and_no_prepared_statement() -> None:
    pooled = behind_pooler(PRIMARY, "pgbouncer")
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    assert pooled["OPTIONS"]["application_name"] == "footing-web"
    assert "prepare_threshold" not in PRIMARY["OPTIONS"], "the primary's entry is left alone"


def test_an_unknown_pooler_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="pgbouncer"):
        behind_pooler(PRIMARY, "pgpool")


def test_the_replica_has_its_own_address_and_the_primarys_connection_settings() -> None:
    entry = replica_of(
        behind_pooler(PRIMARY, "pgbouncer"), "postgres://reader:pw@replica:6432/footing"
    )
    assert (entry["HOST"], entry["PORT"], entry["USER"], entry["NAME"]) == (
        "replica",
        6432,
        "reader",
        "footing",
    )
    assert entry["CONN_MAX_AGE"] == 60
    assert entry["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert entry["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_url_the_alias_is_the_primary() -> None:
    entry = replica_of(PRIMARY, "")
    assert {key: entry[key] for key in PRIMARY} == PRIMARY
    assert entry["TEST"] == {"MIRROR": "default"}


def test_only_transaction_level_advisory_locks_and_no_session_settings() -> None:
    """A session-level lock or SET would stay on a pooled server connection for the next client."""
    sources = [
        path
        for app in ("config", "web", "record", "stakeholders", "deliberation", "consensus", "trust")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(sources) > 50
    session_lock = re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(")
    session_set = re.compile(r"""["']\s*SET\s+(SESSION\s+)?[\w.]+\s*(TO|=)""")
    session_config = re.compile(r"set_config\([^)]*,\s*false\s*\)", re.IGNORECASE)
    found = [
        str(path.relative_to(ROOT))
        for path in sources
        for pattern in (session_lock, session_set, session_config)
        if pattern.search(path.read_text())
    ]
    assert found == []
    assert any("pg_advisory_xact_lock" in path.read_text() for path in sources)
