"""The Alembic scripts build exactly the tables' schema, on MariaDB and on SQLite, idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from clinic_records.cli import migrate
from clinic_records.config import MIGRATIONS_VERSION_TABLE, RecordsSettings
from clinic_records.infrastructure.tables import metadata
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration

HEAD = "0001_initial"


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
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"entries", "amendments", "episodes", "read_audit", "sessions", "outbox"} <= tables
