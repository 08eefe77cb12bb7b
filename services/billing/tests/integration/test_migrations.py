"""The Alembic scripts build exactly the tables' schema, on MariaDB and on SQLite, idempotently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from clinic_billing.cli import MIGRATIONS_DIR, migrate
from clinic_billing.config import MIGRATIONS_VERSION_TABLE, BillingSettings
from clinic_billing.infrastructure.tables import counters, invoice_name_words, invoices, metadata
from clinic_shared.db import run_migrations
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration

HEAD = "0003_counter_last_issued_at"


def test_migrated_mariadb_schema_matches_the_tables(billing_db_url: str) -> None:
    assert schema_diff(billing_db_url, metadata, MIGRATIONS_VERSION_TABLE) == []
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
    assert schema_diff(url, metadata, MIGRATIONS_VERSION_TABLE) == []
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {
        "invoices",
        "counters",
        "verifactu_records",
        "patients",
        "outbox",
        "idempotency_keys",
    } <= tables


@pytest.fixture(params=["mariadb", "sqlite"])
def empty_db_url(
    request: pytest.FixtureRequest, database_url_factory: Callable[[str], str], tmp_path: Path
) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'billing.sqlite'}"
    return database_url_factory("billing_upgrade")


def test_the_name_index_is_built_from_the_invoices_issued_before_it(empty_db_url: str) -> None:
    run_migrations(empty_db_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE, "0001_initial")
    engine = create_engine(empty_db_url)
    moment = datetime(2026, 3, 2, 10, 0, 0, 123456)
    common = {"series": "S", "language": "es", "base": 40, "tax": 0, "total": 40, "paid": 0,
              "version": 2, "created_at": moment, "updated_at": moment}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            insert(invoices),
            [
                {**common, "id": "issued", "status": "issued", "issued_at": moment,
                 "customer_name": "Ana Ana López", "customer_search": "ana ana lopez"},
                {**common, "id": "draft", "status": "draft", "issued_at": None,
                 "customer_name": "Eva Cid", "customer_search": "eva cid"},
            ],
        )  # fmt: skip
    migrate(BillingSettings(database_url=empty_db_url))
    with engine.connect() as conn:
        rows = conn.execute(select(invoice_name_words).order_by(invoice_name_words.c.word)).all()
    engine.dispose()
    assert [(r.word, r.invoice_id, r.issued_at, r.customer_search) for r in rows] == [
        ("ana", "issued", moment, "ana ana lopez"),
        ("lopez", "issued", moment, "ana ana lopez"),
    ]
    assert schema_diff(empty_db_url, metadata, MIGRATIONS_VERSION_TABLE) == []


def test_each_counter_learns_the_moment_of_its_series_latest_issue(empty_db_url: str) -> None:
    run_migrations(
        empty_db_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE, "0002_invoice_name_words"
    )
    engine = create_engine(empty_db_url)
    earlier, later = datetime(2026, 3, 2, 10, 0, 0, 123456), datetime(2026, 3, 3, 9, 0, 0, 654321)
    common = {"language": "es", "base": 40, "tax": 0, "total": 40, "paid": 0, "version": 2,
              "customer_name": "Ana", "customer_search": "ana", "status": "issued",
              "created_at": earlier, "updated_at": earlier}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            insert(invoices),
            [
                {**common, "id": "s1", "series": "S", "issued_at": earlier},
                {**common, "id": "s2", "series": "S", "issued_at": later},
                {**common, "id": "f1", "series": "F", "issued_at": earlier},
                {**common, "id": "d1", "series": "F", "issued_at": None, "status": "draft"},
            ],
        )
        conn.execute(
            insert(counters),
            [
                {"series": series, "year": 2026, "last_sequence": last, "last_issued_on": None}
                for series, last in (("S", 2), ("F", 1), ("R", 0))
            ],
        )
    migrate(BillingSettings(database_url=empty_db_url))
    with engine.connect() as conn:
        found = dict(conn.execute(select(counters.c.series, counters.c.last_issued_at)).all())
    engine.dispose()
    assert found == {"S": later, "F": earlier, "R": None}
