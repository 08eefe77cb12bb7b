"""reset-db exists only in test mode; the Alembic scripts build the models' schema on both DBs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from clinic_patients.cli import MIGRATIONS_DIR, migrate
from clinic_patients.config import MIGRATIONS_VERSION_TABLE, PatientsSettings
from clinic_patients.models import Base, Patient, name_trigrams, outbox, search_terms
from clinic_shared.db import run_migrations
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration


def _count(client, table) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(table)) or 0


def test_reset_db_empties_everything_and_reseeds_the_demo(client, api) -> None:
    api.created()
    demo_terms = _count(client, search_terms)
    assert _count(client, Patient.__table__) == 16

    response = api.client.post("/api/test/reset-db")

    assert response.status_code == 204
    assert _count(client, Patient.__table__) == 15
    assert _count(client, outbox) == 15  # only the demo patients' patient.registered
    assert 0 < _count(client, search_terms) < demo_terms
    assert api.names("serrano") == []
    assert api.names("garcia nunez") == ["José García Núñez"]


@pytest.mark.parametrize("app_env", ["dev", "prod"])
def test_reset_db_does_not_exist_outside_test_mode(
    client_factory, settings_factory, monkeypatch, app_env: str
) -> None:
    if app_env == "prod":  # prod refuses the embedded defaults; these servers are real
        monkeypatch.setattr(PatientsSettings, "unsafe_for_production", lambda _self: [])
    client = client_factory(settings_factory(app_env=app_env))
    assert client.post("/api/test/reset-db").status_code == 404
    assert "/api/test/reset-db" not in client.get("/openapi.json").json()["paths"]


def test_readiness_checks_the_database_and_the_consumer(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    # Not Redis alone (finding 20): writes still go to the outbox while it is down.
    assert response.json()["checks"] == {"database": "ok", "consumer": "ok"}


def test_migrated_mariadb_schema_matches_the_models(patients_db_url: str) -> None:
    assert schema_diff(patients_db_url, Base.metadata, MIGRATIONS_VERSION_TABLE) == []
    engine = create_engine(patients_db_url)
    with engine.connect() as conn:
        version = conn.execute(text(f"SELECT version_num FROM {MIGRATIONS_VERSION_TABLE}"))
        collation = conn.execute(
            text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_schema = DATABASE() AND table_name = 'patient_search_terms' "
                "AND column_name = 'term'"
            )
        )
        assert (version.scalar(), collation.scalar()) == (
            "0005_phones_e164",
            "utf8mb4_nopad_bin",
        )
    engine.dispose()


def test_migrations_run_on_sqlite_and_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'patients.sqlite'}"
    settings = PatientsSettings(database_url=url)
    migrate(settings)
    migrate(settings)  # idempotent: already at head
    assert schema_diff(url, Base.metadata, MIGRATIONS_VERSION_TABLE) == []
    tables = set(inspect(create_engine(url)).get_table_names())
    assert tables >= {"patients", search_terms.name, name_trigrams.name, "outbox"}
    assert {"processed_events", MIGRATIONS_VERSION_TABLE} <= tables


async def _stop_consumer(client) -> None:
    await client.app.state.events_health.consumer.stop()


def test_readiness_is_false_while_the_consumer_is_not_running(client) -> None:
    health = client.app.state.events_health
    assert health.consumer.healthy
    client.portal.call(_stop_consumer, client)  # on the app's event loop

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["consumer"].startswith("error: ConsumerNotRunningError")


def test_the_phone_migration_rewrites_old_rows_in_e164_and_keeps_unreadable_ones(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'patients.sqlite'}"
    run_migrations(url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE, "0004_appointment_versions")
    engine = create_engine(url)
    old = {"first_name": "A", "last_name": "B", "name_key": " b ! a ", "preferred_locale": "es"}
    created = datetime(2026, 1, 1)
    old |= {"status": "active", "created_at": created, "updated_at": created}
    rows = [
        ("p1", "+34 612 345 678", "612345678", "611-000-222"),
        ("p2", "612-ABC", "612", None),
        ("p3", None, None, "0044 20 7946 0958"),
    ]
    with engine.begin() as conn:
        for patient_id, phone, digits, contact in rows:
            conn.execute(
                Patient.__table__.insert().values(
                    id=patient_id,
                    phone=phone,
                    phone_digits=digits,
                    emergency_contact_phone=contact,
                    version=3,
                    **old,
                )
            )

    migrate(PatientsSettings(database_url=url))

    columns = "id, phone, phone_digits, emergency_contact_phone, version"
    with engine.connect() as conn:
        stored = conn.execute(text(f"SELECT {columns} FROM patients ORDER BY id")).all()
    assert [tuple(row) for row in stored] == [
        ("p1", "+34612345678", "612345678", "+34611000222", 3),
        ("p2", "612-ABC", "612", None, 3),
        ("p3", None, None, "+442079460958", 3),
    ]
    engine.dispose()
