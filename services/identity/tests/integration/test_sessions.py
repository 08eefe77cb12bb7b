"""Refresh rotation, reuse detection, logout, deactivation and password changes end sessions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from clinic_identity.models import RefreshSession, RefreshToken

pytestmark = pytest.mark.integration


def _cookie_value(response: Response) -> str:
    cookie = response.headers.get_list("set-cookie")[0]
    return cookie.split(";")[0].split("=", 1)[1].strip('"')


def _refresh(client: TestClient, raw: str | None) -> Response:
    client.cookies.clear()
    headers = {"Cookie": f"clinic_refresh={raw}"} if raw else {}
    return client.post("/api/token/refresh", headers=headers)


@pytest.fixture
def signed_in(api) -> dict[str, str]:
    response = api.login("fisio@demo.clinic")
    return {"token": response.json()["token"], "refresh": _cookie_value(response)}


def test_refresh_issues_a_new_token_and_rotates_the_cookie(client, api, signed_in) -> None:
    response = _refresh(client, signed_in["refresh"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token"] != signed_in["token"]
    assert body["user"]["email"] == "fisio@demo.clinic"
    assert _cookie_value(response) != signed_in["refresh"]
    assert api.me(body["token"]).status_code == 200


def test_cookie_jar_alone_is_enough(client, api) -> None:
    api.login("fisio@demo.clinic")  # the client keeps the cookie, as a browser would
    for _ in range(3):
        response = client.post("/api/token/refresh")
        assert response.status_code == 200, response.text


def test_reusing_a_rotated_token_revokes_the_family(client, api, signed_in) -> None:
    rotated = _refresh(client, signed_in["refresh"])
    newest = _cookie_value(rotated)
    replay = _refresh(client, signed_in["refresh"])
    assert replay.status_code == 401
    # The thief's replay also kills the legitimate holder's newer token and access tokens.
    assert _refresh(client, newest).status_code == 401
    assert api.me(rotated.json()["token"]).status_code == 401
    assert api.me(signed_in["token"]).status_code == 401


def test_reuse_leaves_other_sessions_alone(client, api, signed_in) -> None:
    other = api.login("fisio@demo.clinic")
    _refresh(client, signed_in["refresh"])
    _refresh(client, signed_in["refresh"])
    assert api.me(other.json()["token"]).status_code == 200
    assert _refresh(client, _cookie_value(other)).status_code == 200


def test_refresh_without_or_with_a_forged_cookie_is_401(client) -> None:
    assert _refresh(client, None).status_code == 401
    assert _refresh(client, "forged").status_code == 401


def test_logout_revokes_the_session_and_clears_the_cookie(client, api, signed_in) -> None:
    client.cookies.clear()
    response = client.post("/api/logout", headers=api.bearer(signed_in["token"]))
    assert response.status_code == 204
    cleared = response.headers.get_list("set-cookie")
    assert len(cleared) == 2
    assert all("Max-Age=0" in c for c in cleared)
    assert api.me(signed_in["token"]).status_code == 401
    assert _refresh(client, signed_in["refresh"]).status_code == 401


def test_logout_with_only_the_cookie_revokes_that_family(client, api, signed_in) -> None:
    response = client.post(
        "/api/logout", headers={"Cookie": f"clinic_refresh={signed_in['refresh']}"}
    )
    assert response.status_code == 204
    assert api.me(signed_in["token"]).status_code == 401


def test_logout_ends_only_its_own_session(client, api, signed_in) -> None:
    other = api.token("fisio@demo.clinic")
    client.cookies.clear()  # the jar now holds the other login's cookie
    client.post("/api/logout", headers=api.bearer(signed_in["token"]))
    assert api.me(other).status_code == 200


def test_deactivation_ends_every_session_at_once(client, api, signed_in) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    user_id = api.me(signed_in["token"]).json()["id"]
    current = client.get(f"/api/users/{user_id}", headers=admin)
    body = {k: current.json()[k] for k in ("email", "fullName", "roles", "color", "locale")}
    response = client.put(
        f"/api/users/{user_id}",
        json={**body, "active": False},
        headers={**admin, "If-Match": current.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    assert api.me(signed_in["token"]).status_code == 401
    assert _refresh(client, signed_in["refresh"]).status_code == 401
    assert api.login("fisio@demo.clinic").status_code == 401


def test_changing_own_password_ends_the_other_sessions(client, api, signed_in) -> None:
    other = api.login("fisio@demo.clinic")
    response = client.post(
        "/api/me/password",
        json={"currentPassword": "demo1234", "newPassword": "a-new-secret"},
        headers=api.bearer(signed_in["token"]),
    )
    assert response.status_code == 204, response.text
    assert api.me(signed_in["token"]).status_code == 200
    assert api.me(other.json()["token"]).status_code == 401
    assert _refresh(client, _cookie_value(other)).status_code == 401
    assert api.login("fisio@demo.clinic", "demo1234").status_code == 401
    assert api.login("fisio@demo.clinic", "a-new-secret").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currentPassword": "not-it-at-all", "newPassword": "a-new-secret"}, "currentPassword"),
        ({"currentPassword": "demo1234", "newPassword": "short"}, "newPassword"),
        ({"currentPassword": "demo1234"}, "newPassword"),
    ],
)
def test_password_change_errors_name_the_field(client, api, signed_in, body, field) -> None:
    response = client.post("/api/me/password", json=body, headers=api.bearer(signed_in["token"]))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert api.login("fisio@demo.clinic", "demo1234").status_code == 200


def test_admin_password_reset_ends_the_users_sessions(client, api, signed_in) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    user_id = api.me(signed_in["token"]).json()["id"]
    current = client.get(f"/api/users/{user_id}", headers=admin).json()
    body = {k: current[k] for k in ("email", "fullName", "roles", "color", "locale", "active")}
    response = client.put(
        f"/api/users/{user_id}",
        json={**body, "password": "reset-by-admin"},
        headers={**admin, "If-Match": f'"{current["version"]}"'},
    )
    assert response.status_code == 200, response.text
    assert api.me(signed_in["token"]).status_code == 401
    assert api.login("fisio@demo.clinic", "reset-by-admin").status_code == 200


def test_session_rows_keep_only_hashes(client, signed_in) -> None:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        sessions = db.scalars(select(RefreshSession)).all()
        stored = {t.token_hash for s in sessions for t in _tokens(db, s.id)}
    assert signed_in["refresh"] not in stored
    assert all(len(h) == 64 for h in stored)


def _tokens(db, session_id: str):
    return db.scalars(select(RefreshToken).where(RefreshToken.session_id == session_id)).all()
