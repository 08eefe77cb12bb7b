"""The Alembic scripts build exactly the tables' schema, on MariaDB and on SQLite, idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from clinic_records.cli import MIGRATIONS_DIR, migrate
from clinic_records.config import MIGRATIONS_VERSION_TABLE, RecordsSettings
from clinic_records.infrastructure.tables import metadata
from clinic_shared.db import run_migrations
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration

HEAD = "0002_sqlite_audit_append_only"


def test_migrated_mariadb_schema_matches_the_tables(records_db_url: str) -> None:
    assert schema_diff(records_db_url, metadata, MIGRATIONS_VERSION_TABLE) == []
    engine = create_engine(records_db_url)
    with engine.connect() as conn:
        version = conn.execute(text(f"SELECT version_num FROM {MIGRATIONS_VERSION_TABLE}"))
        assert version.scalar() == HEAD
        triggers = conn.execute(text("SHOW TRIGGERS LIKE 'read_audit'")).all()
        assert {row[0] for row in triggers} == {"read_audit_no_update", "read_audit_no_delete"}
    engine.dispose()


def test_migrations_run_on_sqlite_and_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    settings = RecordsSettings(database_url=url, var_dir=tmp_path)
    migrate(settings)
    migrate(settings)  # idempotent: already at head
    assert schema_diff(url, metadata, MIGRATIONS_VERSION_TABLE) == []
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {"entries", "amendments", "episodes", "read_audit", "sessions", "outbox"} <= tables
    with engine.connect() as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"
        triggers = conn.execute(text(query), {"table": "read_audit"})
        assert set(triggers.scalars()) == {"read_audit_no_update", "read_audit_no_delete"}
    engine.dispose()


def test_an_existing_sqlite_audit_becomes_append_only(tmp_path: Path) -> None:
    """A database made before the triggers existed keeps its rows and gets them on upgrade."""
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    run_migrations(url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE, revision="0001_initial")
    engine = create_engine(url)
    row = (
        "INSERT INTO read_audit (user_id, roles, action, read_at) "
        "VALUES ('u-1', 'ROLE_ADMIN', 'record.read', '2026-12-07 10:00:00')"
    )
    try:
        with engine.begin() as conn:
            conn.execute(text(row))
        migrate(RecordsSettings(database_url=url, var_dir=tmp_path))
        for statement in ("UPDATE read_audit SET user_id = 'x'", "DELETE FROM read_audit"):
            with pytest.raises(DBAPIError, match="read_audit is append-only"), engine.begin() as c:
                c.execute(text(statement))
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT user_id FROM read_audit")).scalars().all()
        assert kept == ["u-1"]
    finally:
        engine.dispose()
