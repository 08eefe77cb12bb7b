"""POST /api/login and GET /api/me against MariaDB and Redis."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clinic_identity.models import User

pytestmark = pytest.mark.integration


def test_login_returns_token_user_and_refresh_cookie(api) -> None:
    response = api.login("Fisio@Demo.Clinic")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expiresIn"] == 900
    assert body["user"] == {
        "id": body["user"]["id"],
        "email": "fisio@demo.clinic",
        "fullName": "Laura Martínez",
        "roles": ["ROLE_PRACTITIONER"],
        "active": True,
        "color": "#2563eb",
        "locale": "es",
    }
    assert response.headers["cache-control"] == "no-store"
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert attributes[0].startswith("clinic_refresh=")
        assert "httponly" in attributes
        assert "samesite=strict" in attributes
        assert "secure" not in attributes  # plain HTTP from an untrusted peer
    paths = sorted(c.split("Path=")[1].split(";")[0] for c in cookies)
    assert paths == ["/api/logout", "/api/token"]


def test_me_returns_the_signed_in_user(api) -> None:
    token = api.token("recepcion@demo.clinic")
    response = api.me(token)
    assert response.status_code == 200
    assert response.json()["email"] == "recepcion@demo.clinic"
    assert response.json()["roles"] == ["ROLE_RECEPTIONIST"]


def test_cookie_is_secure_behind_a_trusted_https_proxy(client_factory, api_for) -> None:
    trusted = api_for(client_factory(peer="127.0.0.1"))
    response = trusted.login("admin@demo.clinic", headers={"X-Forwarded-Proto": "https"})
    assert all("Secure" in c for c in response.headers.get_list("set-cookie"))
    untrusted = api_for(client_factory(peer="203.0.113.5"))
    response = untrusted.login("admin@demo.clinic", headers={"X-Forwarded-Proto": "https"})
    assert not any("Secure" in c for c in response.headers.get_list("set-cookie"))


def test_wrong_password_unknown_email_and_inactive_user_get_the_same_401(api) -> None:
    wrong = api.login("admin@demo.clinic", "wrong-password")
    unknown = api.login("nobody@demo.clinic", "demo1234")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["content-type"] == "application/problem+json"


def test_wrong_password_and_unknown_email_take_similar_time(
    client_factory: Callable[..., TestClient], settings_factory, api_for
) -> None:
    api = api_for(client_factory(settings_factory(login_free_failures=100)))

    def fastest_seconds(email: str) -> float:
        # The fastest of several runs filters out noise from other processes on the machine.
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            assert api.login(email, "wrong-password").status_code == 401
            samples.append(time.perf_counter() - started)
        return min(samples)

    wrong, unknown = fastest_seconds("admin@demo.clinic"), fastest_seconds("ghost@demo.clinic")
    # Skipping argon2 for unknown emails would make them ~20x faster than wrong passwords.
    assert unknown > wrong * 0.25, (wrong, unknown)
    assert wrong > unknown * 0.25, (wrong, unknown)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "admin@demo.clinic"}, "password"),
        ({"password": "demo1234"}, "email"),
        ({"email": "admin@demo.clinic", "password": "demo1234", "remember": True}, "remember"),
        ({"email": "x" * 300, "password": "demo1234"}, "email"),
    ],
)
def test_malformed_login_is_422_naming_the_field(client: TestClient, body, field) -> None:
    response = client.post("/api/login", json=body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_jwks_publishes_the_signing_key(client: TestClient, api) -> None:
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    kid = jwt.get_unverified_header(api.token("admin@demo.clinic"))["kid"]
    assert [key["kid"] for key in keys] == [kid]
    assert set(keys[0]) >= {"kty", "n", "e", "kid", "alg", "use"}
    assert "d" not in keys[0]


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json()["service"] == "identity"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_old_hash_parameters_are_upgraded_at_login(client_factory, settings_factory, api_for):
    api_for(client_factory())  # seeds with t=2
    stronger = client_factory(settings_factory(argon2_time_cost=3))
    assert api_for(stronger).login("fisio@demo.clinic").status_code == 200
    services = stronger.app.state.services
    with services.new_session() as db, db.begin():
        user = db.scalar(select(User).where(User.email == "fisio@demo.clinic"))
    assert ",t=3," in user.password_hash
    assert user.version == 1  # a rehash is not an edit: the ETag stays
    assert api_for(stronger).login("fisio@demo.clinic").status_code == 200
