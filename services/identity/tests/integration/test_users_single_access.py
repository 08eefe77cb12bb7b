"""Only an administrator may read or edit one user: a receptionist or a practitioner gets 403 on
GET and PUT /api/users/{id} — their own account included, so nobody makes herself admin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

STAFF = ["recepcion@demo.clinic", "fisio@demo.clinic"]


def _editable(user: dict[str, Any]) -> dict[str, Any]:
    return {k: user[k] for k in ("email", "fullName", "roles", "active", "color", "locale")}


@pytest.fixture
def admin(api: Any) -> dict[str, str]:
    return dict(api.bearer(api.token("admin@demo.clinic")))


def _user(client: TestClient, admin: dict[str, str], email: str) -> dict[str, Any]:
    listed = client.get("/api/users", params={"search": email}, headers=admin).json()["member"]
    user_id = next(user["id"] for user in listed if user["email"] == email)
    response = client.get(f"/api/users/{user_id}", headers=admin)
    assert response.status_code == 200, response.text
    return {**response.json(), "etag": response.headers["etag"]}


@pytest.mark.parametrize("email", STAFF)
def test_staff_cannot_read_a_user_not_even_themselves(
    client: TestClient, api: Any, admin: dict[str, str], email: str
) -> None:
    headers = api.bearer(api.token(email))
    own = _user(client, admin, email)
    other = _user(client, admin, "admin@demo.clinic")
    for user in (own, other):
        response = client.get(f"/api/users/{user['id']}", headers=headers)
        assert response.status_code == 403, response.text
        assert "etag" not in response.headers
    assert client.get(f"/api/users/{own['id']}").status_code == 401


@pytest.mark.parametrize("email", STAFF)
def test_staff_cannot_make_themselves_admin(
    client: TestClient, api: Any, admin: dict[str, str], email: str
) -> None:
    headers = api.bearer(api.token(email))
    own = _user(client, admin, email)
    body = {**_editable(own), "roles": ["ROLE_ADMIN"]}
    response = client.put(
        f"/api/users/{own['id']}", json=body, headers={**headers, "If-Match": own["etag"]}
    )
    assert response.status_code == 403, response.text
    after = _user(client, admin, email)
    assert after["roles"] == own["roles"]
    assert after["etag"] == own["etag"]
    # Still no admin rights: not through the token, not through the database.
    fresh = api.bearer(api.token(email))
    assert client.get("/api/users", headers=fresh).status_code == 403


@pytest.mark.parametrize("email", STAFF)
def test_staff_cannot_edit_another_user(
    client: TestClient, api: Any, admin: dict[str, str], email: str
) -> None:
    headers = api.bearer(api.token(email))
    target = _user(client, admin, "admin@demo.clinic")
    body = {**_editable(target), "active": False, "password": "taken-over-1234"}
    response = client.put(
        f"/api/users/{target['id']}", json=body, headers={**headers, "If-Match": target["etag"]}
    )
    assert response.status_code == 403, response.text
    # Refused before the version is even looked at: no If-Match is 403 too, not 428.
    bare = client.put(f"/api/users/{target['id']}", json=body, headers=headers)
    assert bare.status_code == 403
    assert _user(client, admin, "admin@demo.clinic")["etag"] == target["etag"]
    assert api.login("admin@demo.clinic").status_code == 200
