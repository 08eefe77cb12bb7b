"""The auth edge over real HTTP: every bad token is a 401 that never reaches a service; rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.testing.keys import TestKey, TokenFactory

from .conftest import FakeService, ServerThread, closed_port_url, fake_service_app


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _alg_none(factory: TokenFactory) -> str:
    return _unsigned({"alg": "none", "typ": "JWT", "kid": factory.key.kid}, factory.claims()) + "."


def _hs256_with_public_key(factory: TokenFactory) -> str:
    signing_input = _unsigned(
        {"alg": "HS256", "typ": "JWT", "kid": factory.key.kid}, factory.claims()
    )
    mac = hmac.new(factory.key.public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def _tampered(factory: TokenFactory) -> str:
    header, _payload, signature = factory(roles=["ROLE_RECEPTIONIST"]).split(".")
    forged = _b64(json.dumps(factory.claims(roles=["ROLE_ADMIN"])).encode())
    return f"{header}.{forged}.{signature}"


def _unknown_kid(factory: TokenFactory) -> str:
    stranger = TokenFactory(TestKey.generate("not-published"), factory.issuer, factory.audience)
    return stranger()


def _same_kid_other_key(factory: TokenFactory) -> str:
    impostor = TokenFactory(TestKey.generate(factory.key.kid), factory.issuer, factory.audience)
    return impostor()


NOW = int(time.time())
BAD_TOKENS: dict[str, Callable[[TokenFactory], str]] = {
    "alg none": _alg_none,
    "HS256 signed with the public key": _hs256_with_public_key,
    "expired": lambda f: f(iat=NOW - 3600, nbf=NOW - 3600, exp=NOW - 60),
    "nbf in the future": lambda f: f(nbf=NOW + 600),
    "wrong aud": lambda f: f(aud="someone-else"),
    "wrong iss": lambda f: f(iss="https://evil.example"),
    "tampered payload": _tampered,
    "unknown kid": _unknown_kid,
    "known kid, other key": _same_kid_other_key,
    "missing exp": lambda f: f(exp=None),
    "missing sub": lambda f: f(sub=None),
    "garbage": lambda _f: "not.a.jwt",
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_bad_token_is_refused_at_the_edge(
    case: str, client: httpx.Client, identity: tuple[FakeService, str], token_factory: TokenFactory
) -> None:
    before = len(identity[0].seen)
    response = client.get(
        "/api/me", headers={"Authorization": f"Bearer {BAD_TOKENS[case](token_factory)}"}
    )
    assert response.status_code == 401, case
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert len(identity[0].seen) == before, "the service must never see a refused request"


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic YTpi", "Token abc"])
def test_missing_or_non_bearer_credentials_are_refused(
    authorization: str | None, client: httpx.Client
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    for path in ("/api/me", "/api/users", "/api/dashboard/stats", "/api/patients/1"):
        assert client.get(path, headers=headers).status_code == 401, path


def test_a_valid_token_passes(client: httpx.Client, token_factory: TokenFactory) -> None:
    token = token_factory(roles=["ROLE_RECEPTIONIST"])
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def _gateway_with_rotation(
    make_settings: Callable[..., GatewaySettings], identity_url: str
) -> ServerThread:
    settings = make_settings(
        {"identity": identity_url},
        jwks_cache_seconds=1.0,
        jwks_min_refetch_seconds=0.1,
        verified_token_cache_seconds=0.3,
    )
    return ServerThread(create_app(settings))


def test_key_rotation_without_restart(
    make_settings: Callable[..., GatewaySettings], test_key: TestKey, token_factory: TokenFactory
) -> None:
    service = FakeService(jwks={"keys": [test_key.jwk()]})
    new_key = TestKey.generate("rotated-in")
    new_tokens = TokenFactory(new_key, token_factory.issuer, token_factory.audience)
    with (
        ServerThread(fake_service_app(service, None)) as upstream,
        _gateway_with_rotation(make_settings, upstream.url) as gateway,
        httpx.Client(base_url=gateway.url) as http,
    ):
        old_token, new_token = token_factory(), new_tokens()

        def status(token: str) -> int:
            return http.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code

        assert status(old_token) == 200
        assert status(new_token) == 401  # not published yet
        service.jwks = {"keys": [test_key.jwk(), new_key.jwk()]}
        time.sleep(0.15)  # the unknown-kid refetch interval
        assert status(new_token) == 200  # published: accepted at once, no restart
        service.jwks = {"keys": [new_key.jwk()]}  # the old key is withdrawn
        deadline = time.monotonic() + 5
        while status(old_token) == 200:
            assert time.monotonic() < deadline, "a withdrawn key's tokens must be refused"
            time.sleep(0.1)
        assert status(token_factory()) == 401
        assert status(new_tokens()) == 200


def test_a_token_that_cannot_be_checked_while_identity_is_down_is_503(
    make_settings: Callable[..., GatewaySettings], token_factory: TokenFactory
) -> None:
    """Identity unreachable and no keys cached: 503 (try again), never a 401 that signs out."""
    settings = make_settings({"identity": closed_port_url()})
    with ServerThread(create_app(settings)) as gateway, httpx.Client(base_url=gateway.url) as http:
        response = http.get("/api/me", headers={"Authorization": f"Bearer {token_factory()}"})

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
