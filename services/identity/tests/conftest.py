"""Fixtures for identity's integration and contract tests: a migrated MariaDB, the app, logins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from httpx import Response

from clinic_identity.cli import migrate
from clinic_identity.config import ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_TIME_COST, IdentitySettings
from clinic_identity.main import create_app
from clinic_identity.seed import DEMO_PASSWORD, empty_database, seed_demo
from clinic_identity.throttle import RedisThrottleStore
from clinic_shared.testing.keys import TestKey

SettingsFactory = Callable[..., IdentitySettings]
ClientFactory = Callable[..., TestClient]


@pytest.fixture(scope="session")
def identity_db_url(database_url_factory: Callable[[str], str]) -> str:
    """A fresh MariaDB database migrated with identity's Alembic scripts (not create_all)."""
    url = database_url_factory("identity")
    migrate(IdentitySettings(database_url=url, app_env="test"))
    return url


@pytest.fixture(scope="session")
def key_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two signing key files: the first is the default signing key, the second for rotation."""
    folder = tmp_path_factory.mktemp("keys")
    paths = []
    for index in range(2):
        path = folder / f"key{index}.pem"
        path.write_bytes(TestKey.generate().private_pem)
        paths.append(path)
    return paths


@pytest.fixture
def settings_factory(
    identity_db_url: str,
    redis_url: str,
    key_files: list[Path],
    unique_name: Callable[[str], str],
    tmp_path: Path,
) -> SettingsFactory:
    """Test settings (minimum argon2 cost the policy allows, a stream and keys of this test)."""
    stream = unique_name("events.identity")
    prefix = unique_name("identity-throttle")

    def make(**overrides: Any) -> IdentitySettings:
        values: dict[str, Any] = {
            "app_env": "test",
            "database_url": identity_db_url,
            "redis_url": redis_url,
            "var_dir": tmp_path / "var",
            "signing_key_files": [key_files[0]],
            "argon2_memory_kib": ARGON2_MIN_MEMORY_KIB,
            "argon2_time_cost": ARGON2_MIN_TIME_COST,
            "throttle_key_prefix": prefix,
            "events_stream": stream,
            "outbox_poll_seconds": 0.5,
            "log_json": False,
        }
        values.update(overrides)
        return IdentitySettings(**values)

    return make


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> IdentitySettings:
    """The default test settings."""
    return settings_factory()


@pytest.fixture
def client_factory(
    settings: IdentitySettings, redis_client: redis.Redis
) -> Iterator[ClientFactory]:
    """Start apps (lifespan included); the first call empties the tables and seeds the demo."""
    clients: list[TestClient] = []

    def make(app_settings: IdentitySettings | None = None, peer: str = "testclient") -> TestClient:
        app = create_app(app_settings or settings)
        if not clients:
            # Before the relay starts: rows an earlier test left unpublished must not reach
            # Redis under that test's (already deleted) stream name.
            services = app.state.services
            with services.new_session() as db:
                empty_database(db)
                seed_demo(db, services.hasher, services.events, settings)
        client = TestClient(app, client=(peer, 50000))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in reversed(clients):
        client.__exit__(None, None, None)
    RedisThrottleStore(redis_client, settings.throttle_key_prefix, max_delay=1).clear()


@pytest.fixture
def client(client_factory: ClientFactory) -> TestClient:
    """A client of an identity app on a database holding only the demo users."""
    return client_factory()


class Api:
    """Small helpers over a test client: logins and auth headers."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def login(self, email: str, password: str = DEMO_PASSWORD, **kwargs: Any) -> Response:
        """POST /api/login."""
        return self.client.post("/api/login", json={"email": email, "password": password}, **kwargs)

    def token(self, email: str, password: str = DEMO_PASSWORD) -> str:
        """Log in (must succeed) and return the access token."""
        response = self.login(email, password)
        assert response.status_code == 200, response.text
        token: str = response.json()["token"]
        return token

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        """The Authorization header for ``token``."""
        return {"Authorization": f"Bearer {token}"}

    def me(self, token: str) -> Response:
        """GET /api/me with ``token``."""
        return self.client.get("/api/me", headers=self.bearer(token))


@pytest.fixture
def api(client: TestClient) -> Api:
    """Helpers over the default client."""
    return Api(client)


@pytest.fixture
def api_for() -> type[Api]:
    """The helper class, for tests that start several apps."""
    return Api
