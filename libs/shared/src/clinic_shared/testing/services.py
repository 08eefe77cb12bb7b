"""What every service's test fixtures build the same way: its test settings and its app clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from clinic_shared.auth import JwtVerifier
from clinic_shared.settings import ServiceSettings

Settings = TypeVar("Settings", bound=ServiceSettings)


def make_settings_factory(
    settings_class: type[Settings],
    *,
    database_url: str,
    redis_url: str,
    var_dir: Path,
    streams: Mapping[str, str],
) -> Callable[..., Settings]:
    """Test settings on ``database_url``, with the test's own streams; keywords override."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "app_env": "test",
            "database_url": database_url,
            "redis_url": redis_url,
            "var_dir": var_dir,
            "outbox_poll_seconds": 0.5,
            "log_json": False,
            **streams,
            **overrides,
        }
        return settings_class(**values)

    return make


@contextmanager
def app_clients(
    create_app: Callable[..., FastAPI],
    settings: Settings,
    verifier: JwtVerifier,
    reset: Callable[[Session], None],
) -> Iterator[Callable[..., TestClient]]:
    """Start apps with their lifespan (``make(other_settings)`` for a second one); the first
    resets the service's tables; all are stopped at the end, newest first."""
    clients: list[TestClient] = []

    def make(app_settings: Settings | None = None) -> TestClient:
        app = create_app(app_settings or settings, verifier=verifier)
        if not clients:
            with app.state.services.new_session() as db:
                reset(db)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in reversed(clients):
            client.__exit__(None, None, None)
