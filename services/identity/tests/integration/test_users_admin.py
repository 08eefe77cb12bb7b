"""Users admin: ROLE_ADMIN only, validation naming fields, 409/412/428, practitioners, stats."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

NEW_USER: dict[str, Any] = {
    "email": "Marta.Soler@Demo.Clinic",
    "fullName": "Marta Soler",
    "roles": ["ROLE_PRACTITIONER"],
    "color": "#dc2626",
    "locale": "en",
    "password": "marta-secret",
}


@pytest.fixture
def admin(api) -> dict[str, str]:
    return api.bearer(api.token("admin@demo.clinic"))


def _create(client: TestClient, headers: dict[str, str], **changes: Any):
    return client.post("/api/users", json={**NEW_USER, **changes}, headers=headers)


def _editable(user: dict[str, Any]) -> dict[str, Any]:
    return {k: user[k] for k in ("email", "fullName", "roles", "active", "color", "locale")}


def _fields(response) -> list[str]:
    # "roles.0" names the first item of roles: report the top-level field.
    return [error["field"].split(".")[0] for error in response.json().get("errors", [])]


def test_create_returns_201_with_etag_and_location(client, admin, api) -> None:
    response = _create(client, admin)
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "marta.soler@demo.clinic"
    assert user["version"] == 1
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/api/users/{user['id']}"
    assert "password" not in user
    assert "passwordHash" not in user
    assert user["createdAt"].endswith("Z") or user["createdAt"].endswith("+00:00")
    assert api.login("marta.soler@demo.clinic", "marta-secret").status_code == 200


def test_email_is_unique_case_insensitively(client, admin) -> None:
    response = _create(client, admin, email="FISIO@demo.clinic")
    assert response.status_code == 409
    assert _fields(response) == ["email"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "no-at-sign"}, "email"),
        ({"fullName": ""}, "fullName"),
        ({"fullName": "x" * 101}, "fullName"),
        ({"roles": []}, "roles"),
        ({"roles": ["ROLE_SUPERUSER"]}, "roles"),
        ({"color": "red"}, "color"),
        ({"locale": "de"}, "locale"),
        ({"password": "1234567"}, "password"),
        ({"password": 12345678}, "password"),
        ({"admin": True}, "admin"),
    ],
)
def test_create_validation_names_the_field(client, admin, changes, field) -> None:
    response = _create(client, admin, **changes)
    assert response.status_code == 422
    assert field in _fields(response)
    assert client.get("/api/users?search=marta", headers=admin).json()["member"] == []


def test_get_one_with_etag_and_404(client, admin) -> None:
    created = _create(client, admin).json()
    response = client.get(f"/api/users/{created['id']}", headers=admin)
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == created
    assert client.get("/api/users/does-not-exist", headers=admin).status_code == 404


def test_put_needs_if_match_and_refuses_stale_versions(client, admin) -> None:
    created = _create(client, admin).json()
    url = f"/api/users/{created['id']}"
    body = {**_editable(created), "fullName": "Marta Soler Vidal"}
    missing = client.put(url, json=body, headers=admin)
    assert missing.status_code == 428
    ok = client.put(url, json=body, headers={**admin, "If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == '"2"'
    assert ok.json()["fullName"] == "Marta Soler Vidal"
    stale = client.put(
        url, json={**body, "fullName": "Lost Update"}, headers={**admin, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert client.get(url, headers=admin).json()["fullName"] == "Marta Soler Vidal"


def test_put_to_another_users_email_is_409(client, admin) -> None:
    created = _create(client, admin).json()
    body = {**_editable(created), "email": "Recepcion@demo.clinic"}
    response = client.put(
        f"/api/users/{created['id']}", json=body, headers={**admin, "If-Match": '"1"'}
    )
    assert response.status_code == 409
    assert _fields(response) == ["email"]


def test_put_validation_and_unknown_user(client, admin) -> None:
    created = _create(client, admin).json()
    url = f"/api/users/{created['id']}"
    body = _editable(created)
    missing_active = {k: v for k, v in body.items() if k != "active"}
    response = client.put(url, json=missing_active, headers={**admin, "If-Match": '"1"'})
    assert response.status_code == 422
    assert _fields(response) == ["active"]
    response = client.put("/api/users/nope", json=body, headers={**admin, "If-Match": '"1"'})
    assert response.status_code == 404


def test_the_last_active_admin_cannot_be_removed(client, admin, api) -> None:
    me = api.me(admin["Authorization"].split()[1]).json()
    url = f"/api/users/{me['id']}"
    body = _editable(client.get(url, headers=admin).json())
    demote = client.put(
        url, json={**body, "roles": ["ROLE_PRACTITIONER"]}, headers={**admin, "If-Match": '"1"'}
    )
    assert demote.status_code == 409
    assert _fields(demote) == ["roles"]
    deactivate = client.put(
        url, json={**body, "active": False}, headers={**admin, "If-Match": '"1"'}
    )
    assert deactivate.status_code == 409
    assert _fields(deactivate) == ["active"]


def test_non_admins_are_refused(client, api) -> None:
    for email in ("recepcion@demo.clinic", "fisio@demo.clinic"):
        headers = api.bearer(api.token(email))
        assert client.get("/api/users", headers=headers).status_code == 403
        assert client.post("/api/users", json=NEW_USER, headers=headers).status_code == 403
    assert client.get("/api/users").status_code == 401


def test_admin_rights_follow_the_database_not_the_token(client, admin, api) -> None:
    created = _create(client, admin, roles=["ROLE_ADMIN"]).json()
    marta = api.bearer(api.token("marta.soler@demo.clinic", "marta-secret"))
    assert client.get("/api/users", headers=marta).status_code == 200
    body = {**_editable(created), "roles": ["ROLE_RECEPTIONIST"]}
    client.put(f"/api/users/{created['id']}", json=body, headers={**admin, "If-Match": '"1"'})
    assert client.get("/api/users", headers=marta).status_code == 403


def test_list_search_filters_and_pages(client, admin) -> None:
    members = client.get("/api/users", headers=admin).json()["member"]
    assert [u["fullName"] for u in members] == [
        "Ana García",
        "Carmen López",
        "Jordi Puig",
        "Laura Martínez",
    ]
    page = client.get("/api/users?itemsPerPage=3", headers=admin).json()
    assert len(page["member"]) == 3
    assert "page=2" in page["view"]["next"]
    last = client.get("/api/users?itemsPerPage=3&page=2", headers=admin).json()
    assert len(last["member"]) == 1
    assert last["view"]["next"] is None
    found = client.get("/api/users?search=MARTÍN", headers=admin).json()["member"]
    assert [u["email"] for u in found] == ["fisio@demo.clinic"]
    found = client.get("/api/users?search=recepcion@", headers=admin).json()["member"]
    assert [u["fullName"] for u in found] == ["Carmen López"]
    assert client.get("/api/users?search=100%25", headers=admin).json()["member"] == []
    assert client.get("/api/users?active=false", headers=admin).json()["member"] == []
    assert client.get("/api/users?itemsPerPage=101", headers=admin).status_code == 422


def test_practitioners_for_any_role_only_active_ones(client, admin, api) -> None:
    receptionist = api.bearer(api.token("recepcion@demo.clinic"))
    response = client.get("/api/practitioners", headers=receptionist)
    assert response.status_code == 200
    members = response.json()["member"]
    assert [(p["fullName"], p["color"]) for p in members] == [
        ("Jordi Puig", "#16a34a"),
        ("Laura Martínez", "#2563eb"),
    ]
    assert set(members[0]) == {"id", "fullName", "color"}
    jordi = client.get(f"/api/users/{members[0]['id']}", headers=admin).json()
    client.put(
        f"/api/users/{jordi['id']}",
        json={**_editable(jordi), "active": False},
        headers={**admin, "If-Match": '"1"'},
    )
    members = client.get("/api/practitioners", headers=receptionist).json()["member"]
    assert [p["fullName"] for p in members] == ["Laura Martínez"]
    assert client.get("/api/practitioners").status_code == 401


def test_stats(client, admin, api) -> None:
    assert client.get("/stats").status_code == 401
    fisio = api.bearer(api.token("fisio@demo.clinic"))
    assert client.get("/stats", headers=fisio).json() == {
        "totalUsers": 4,
        "activePractitioners": 2,
    }
    _create(client, admin)
    assert client.get("/stats", headers=fisio).json()["activePractitioners"] == 3
