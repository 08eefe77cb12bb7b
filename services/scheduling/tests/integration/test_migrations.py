"""The Alembic scripts build exactly the tables' schema, on MariaDB and on SQLite, idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from clinic_scheduling.cli import migrate
from clinic_scheduling.config import MIGRATIONS_VERSION_TABLE, SchedulingSettings
from clinic_scheduling.infrastructure.tables import metadata
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration

HEAD = "0005_cancellation_reason"


def test_migrated_mariadb_schema_matches_the_tables(scheduling_db_url: str) -> None:
    assert schema_diff(scheduling_db_url, metadata, MIGRATIONS_VERSION_TABLE) == []
    engine = create_engine(scheduling_db_url)
    with engine.connect() as conn:
        version = conn.execute(text(f"SELECT version_num FROM {MIGRATIONS_VERSION_TABLE}"))
        assert version.scalar() == HEAD
    engine.dispose()


def test_migrations_run_on_sqlite_and_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'scheduling.sqlite'}"
    settings = SchedulingSettings(database_url=url)
    migrate(settings)
    migrate(settings)  # idempotent: already at head
    assert schema_diff(url, metadata, MIGRATIONS_VERSION_TABLE) == []
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"appointments", "practitioners", "patients", "outbox", "idempotency_keys"} <= tables
