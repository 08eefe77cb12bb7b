"""/readyz against the real MariaDB and Redis."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from clinic_shared.app import ReadinessCheck, create_service_app, database_check, redis_check
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.db import create_engine_for
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.plugin import mariadb_server_url

pytestmark = pytest.mark.integration


def _app(readiness: dict[str, ReadinessCheck]) -> FastAPI:
    settings = ServiceSettings(service_name="ready", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    return create_service_app(settings, title="Ready", readiness=readiness, verifier=verifier)


def _ready(readiness: dict[str, ReadinessCheck]) -> Any:
    with TestClient(_app(readiness)) as client:
        return client.get("/readyz")


def test_ready_when_mariadb_and_redis_answer(
    database_url_factory: Callable[[str], str], redis_url: str
) -> None:
    engine = create_engine_for(database_url_factory("ready"))
    try:
        response = _ready({"database": database_check(engine), "redis": redis_check(redis_url)})
    finally:
        engine.dispose()

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_not_ready_when_redis_is_unreachable(
    database_url_factory: Callable[[str], str],
) -> None:
    engine = create_engine_for(database_url_factory("ready"))
    try:
        response = _ready(
            {"database": database_check(engine), "redis": redis_check("redis://127.0.0.1:1/0")}
        )
    finally:
        engine.dispose()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")


def test_not_ready_when_the_database_is_missing(redis_url: str) -> None:
    # On the test server (not a fixed 127.0.0.1), so the database is missing, not the server.
    missing = make_url(mariadb_server_url()).set(database="t_never_created_db")
    engine = create_engine_for(missing.render_as_string(hide_password=False))
    try:
        response = _ready({"database": database_check(engine), "redis": redis_check(redis_url)})
    finally:
        engine.dispose()

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "error: OperationalError", "redis": "ok"}
