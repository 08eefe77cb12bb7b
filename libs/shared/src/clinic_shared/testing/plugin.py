"""pytest plugin: throw-away databases on the real MariaDB, Redis, test keys and tokens.

Database servers come from ``TEST_DATABASE_URL`` (a server URL; the database part is ignored)
else the local MariaDB at 127.0.0.1:3306; Redis from ``TEST_REDIS_URL`` else 127.0.0.1:6379.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from sqlalchemy import make_url

from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.db import drop_database, ensure_database
from clinic_shared.testing.keys import TestKey, TokenFactory

DEFAULT_TEST_DATABASE_URL = "mysql+pymysql://root@127.0.0.1:3306/test"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/0"
TEST_ISSUER = "http://identity.test"
TEST_AUDIENCE = "clinic-test"


def mariadb_server_url() -> str:
    """The test MariaDB server's URL (its database part is ignored): ``TEST_DATABASE_URL`` or local.

    Tests that need the server itself rather than a throw-away database take it from here, so
    ``make test-containers`` (which sets the variable) reaches them too.
    """
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


@pytest.fixture(scope="session")
def database_url_factory() -> Iterator[Callable[[str], str]]:
    """Returns ``make(name)`` giving the URL of a fresh MariaDB database, dropped at the end."""
    server = make_url(mariadb_server_url())
    run_id = uuid.uuid4().hex[:8]
    created: list[str] = []

    def make(name: str) -> str:
        url = server.set(database=f"t_{run_id}_{name}_{len(created)}")
        rendered = url.render_as_string(hide_password=False)
        ensure_database(rendered)
        created.append(rendered)
        return rendered

    yield make
    for url in created:
        drop_database(url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the real Redis the integration tests use."""
    return os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client on the test Redis; streams and keys made through ``unique_name`` are removed."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def unique_name(redis_client: redis.Redis) -> Iterator[Callable[[str], str]]:
    """Returns ``make(prefix)`` giving unique stream/key names, deleted after the test."""
    names: list[str] = []

    def make(prefix: str) -> str:
        name = f"{prefix}.t{uuid.uuid4().hex[:10]}"
        names.append(name)
        return name

    yield make
    if names:
        redis_client.delete(*names)


@pytest.fixture(scope="session")
def test_key() -> TestKey:
    """The RSA key test tokens are signed with."""
    return TestKey.generate("test-key-1")


@pytest.fixture(scope="session")
def test_jwks(test_key: TestKey) -> dict[str, object]:
    """A JWKS document publishing ``test_key``."""
    return {"keys": [test_key.jwk()]}


@pytest.fixture(scope="session")
def token_factory(test_key: TestKey) -> TokenFactory:
    """Signs valid access tokens (override or drop claims for negative tests)."""
    return TokenFactory(key=test_key, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)


@pytest.fixture(scope="session")
def verifier(test_jwks: dict[str, object]) -> JwtVerifier:
    """Verifies ``token_factory``'s tokens; the JWKS is served from memory, not by identity."""
    return JwtVerifier(
        JwksCache(lambda: dict(test_jwks)), issuer=TEST_ISSUER, audience=TEST_AUDIENCE
    )
