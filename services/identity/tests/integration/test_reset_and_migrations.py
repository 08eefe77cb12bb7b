"""reset-db exists only in test mode; the Alembic scripts build the models' schema on both DBs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from clinic_identity.cli import migrate
from clinic_identity.config import MIGRATIONS_VERSION_TABLE as VERSION_TABLE
from clinic_identity.config import IdentitySettings
from clinic_identity.models import Base, RefreshSession, User, outbox
from clinic_shared.testing.migrations import schema_diff

pytestmark = pytest.mark.integration


def _count(client, table) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(table)) or 0


def test_reset_db_empties_everything_and_reseeds_the_demo(
    client, api, redis_client, settings
) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    client.post(
        "/api/users",
        json={
            "email": "temp@demo.clinic",
            "fullName": "Temp",
            "roles": ["ROLE_RECEPTIONIST"],
            "password": "temp-secret",
        },
        headers=admin,
    )
    for _ in range(3):
        api.login("fisio@demo.clinic", "wrong-password")
    assert list(redis_client.scan_iter(match=f"{settings.throttle_key_prefix}:*"))

    assert client.post("/api/test/reset-db").status_code == 204

    assert _count(client, User.__table__) == 4
    assert _count(client, RefreshSession.__table__) == 0
    assert _count(client, outbox) == 4  # only the demo users' user.registered
    assert list(redis_client.scan_iter(match=f"{settings.throttle_key_prefix}:*")) == []
    assert api.me(admin["Authorization"].split()[1]).status_code == 401
    assert api.login("admin@demo.clinic").status_code == 200


@pytest.mark.parametrize("app_env", ["dev", "prod"])
def test_reset_db_does_not_exist_outside_test_mode(
    client_factory, settings_factory, app_env
) -> None:
    client = client_factory(settings_factory(app_env=app_env))
    assert client.post("/api/test/reset-db").status_code == 404
    assert "/api/test/reset-db" not in client.get("/openapi.json").json()["paths"]


def test_migrated_mariadb_schema_matches_the_models(identity_db_url: str) -> None:
    assert schema_diff(identity_db_url, Base.metadata, VERSION_TABLE) == []
    engine = create_engine(identity_db_url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version_identity")).scalar()
    engine.dispose()
    assert version == "0003_session_settings"


def test_migrations_run_on_sqlite_and_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'identity.sqlite'}"
    settings = IdentitySettings(database_url=url)
    migrate(settings)
    migrate(settings)  # idempotent: already at head
    assert schema_diff(url, Base.metadata, VERSION_TABLE) == []
    tables = set(inspect(create_engine(url)).get_table_names())
    assert tables >= {"users", "refresh_sessions", "refresh_tokens", "outbox", "idempotency_keys"}
    assert "alembic_version_identity" in tables
