"""Issue 11 (input side) on identity: names, duplicate keys (roles twice), no-store, the body
limit, and the login's documented problem answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.integration

NEW_USER: dict[str, Any] = {
    "email": "marta.soler@demo.clinic",
    "fullName": "Marta Soler",
    "roles": ["ROLE_RECEPTIONIST"],
    "color": "#dc2626",
    "locale": "en",
    "password": "marta-secret",
}


@pytest.fixture
def admin(api) -> dict[str, str]:
    return api.bearer(api.token("admin@demo.clinic"))


@pytest.mark.parametrize(
    "name",
    ["Marta\x00Soler", "Marta\u202eSoler", "Marta\u200bSoler", "Marta\nSoler", "\ufeffMarta"],
)
def test_invisible_characters_in_a_full_name_are_422(client, admin, name: str) -> None:
    response = client.post("/api/users", json={**NEW_USER, "fullName": name}, headers=admin)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["fullName"]


def test_a_full_name_in_any_script_with_emoji_is_fine(client, admin) -> None:
    response = client.post("/api/users", json={**NEW_USER, "fullName": "Zoë 李 🙂"}, headers=admin)
    assert response.status_code == 201, response.text
    assert response.json()["fullName"] == "Zoë 李 🙂"


def test_roles_twice_is_422_not_the_last_one(client, admin) -> None:
    body = json.dumps(NEW_USER)[:-1] + ', "roles": ["ROLE_ADMIN"]}'
    headers = {**admin, "Content-Type": "application/json"}
    response = client.post("/api/users", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {"field": "roles", "message": "is given more than once in the same object"}
    ]
    assert client.get("/api/users?search=marta", headers=admin).json()["member"] == []


def test_answers_are_no_store_but_the_jwks_stays_cacheable(client, admin) -> None:
    assert client.get("/api/users", headers=admin).headers["cache-control"] == "no-store"
    assert client.get("/api/me", headers=admin).headers["cache-control"] == "no-store"
    assert client.get("/.well-known/jwks.json").headers["cache-control"] == "public, max-age=60"


def test_a_login_body_over_one_mebibyte_is_413(client) -> None:
    body = json.dumps({"email": "a@b.c", "password": "x" * (1024 * 1024 + 1)})
    response = client.post("/api/login", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_the_openapi_documents_the_login_problems(client) -> None:
    document = client.get("/openapi.json").json()
    login = document["paths"]["/api/login"]["post"]["responses"]
    assert {"401", "422", "429"} <= set(login)
    assert login["429"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    user = document["paths"]["/api/users/{user_id}"]["put"]["responses"]
    assert {"401", "403", "404", "409", "412", "422", "428"} <= set(user)
