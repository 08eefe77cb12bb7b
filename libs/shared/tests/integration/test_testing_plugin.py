"""The pytest plugin's fixtures: fresh MariaDB databases, Redis names, test tokens."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest
import redis
from sqlalchemy import inspect, make_url, text

from clinic_shared.db import create_engine_for
from clinic_shared.testing.keys import TestKey, TokenFactory

pytestmark = pytest.mark.integration


def test_database_url_factory_gives_fresh_empty_databases(
    database_url_factory: Callable[[str], str],
) -> None:
    first = database_url_factory("plugin")
    second = database_url_factory("plugin")

    assert make_url(first).database != make_url(second).database
    for url in (first, second):
        engine = create_engine_for(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT DATABASE()")).scalar() == make_url(url).database
        assert inspect(engine).get_table_names() == []
        engine.dispose()


def test_unique_names_are_unique_and_prefixed(
    unique_name: Callable[[str], str], redis_client: redis.Redis
) -> None:
    names = {unique_name("events.plugin") for _ in range(50)}

    assert len(names) == 50
    assert all(name.startswith("events.plugin.t") for name in names)
    stream = next(iter(names))
    redis_client.xadd(stream, {"k": "v"})
    assert redis_client.xlen(stream) == 1


def test_token_factory_signs_with_the_test_key(
    token_factory: TokenFactory, test_key: TestKey, test_jwks: dict[str, object]
) -> None:
    token = token_factory(sub="12", roles=["ROLE_RECEPTIONIST"], name=None)

    assert jwt.get_unverified_header(token)["kid"] == test_key.kid
    claims = jwt.decode(
        token, test_key.public_pem, algorithms=["RS256"], audience=token_factory.audience
    )
    assert claims["sub"] == "12"
    assert claims["roles"] == ["ROLE_RECEPTIONIST"]
    assert "name" not in claims
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 5
    assert test_jwks == {"keys": [test_key.jwk()]}
