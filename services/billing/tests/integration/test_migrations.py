"""The Alembic scripts build exactly the tables' schema, on MariaDB and on SQLite, idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from clinic_billing.cli import migrate
from clinic_billing.config import MIGRATIONS_VERSION_TABLE, BillingSettings
from clinic_billing.infrastructure.tables import metadata

pytestmark = pytest.mark.integration

HEAD = "0001_initial"


def _schema_diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, _kind, _parent: name != MIGRATIONS_VERSION_TABLE,
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrated_mariadb_schema_matches_the_tables(billing_db_url: str) -> None:
    assert _schema_diff(billing_db_url) == []
    engine = create_engine(billing_db_url)
    with engine.connect() as conn:
        version = conn.execute(text(f"SELECT version_num FROM {MIGRATIONS_VERSION_TABLE}"))
        assert version.scalar() == HEAD
    engine.dispose()


def test_migrations_run_on_sqlite_and_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'billing.sqlite'}"
    settings = BillingSettings(database_url=url)
    migrate(settings)
    migrate(settings)  # idempotent: already at head
    assert _schema_diff(url) == []
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {
        "invoices",
        "counters",
        "verifactu_records",
        "patients",
        "outbox",
        "idempotency_keys",
    } <= tables
