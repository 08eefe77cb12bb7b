"""The admin's session maximum: stored in identity's database, edited with If-Match, enforced on
refresh; activity (a refresh) renews a session for the idle lifetime up to that maximum."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from clinic_identity.models import RefreshSession, SessionSettings
from clinic_shared.clock import utcnow

pytestmark = pytest.mark.integration

URL = "/api/session-settings"
IDLE_SECONDS = 2 * 3600


def _admin(api) -> dict[str, str]:
    return api.bearer(api.token("admin@demo.clinic"))


def _set_maximum(client: TestClient, admin: dict[str, str], hours: int) -> None:
    version = client.get(URL, headers=admin).headers["ETag"]
    saved = client.put(URL, json={"maxSessionHours": hours}, headers={**admin, "If-Match": version})
    assert saved.status_code == 200, saved.text


def _age_sessions(client: TestClient, **shift: timedelta) -> None:
    """Move every session's login (``created``) and/or end (``expires``) back, as time would."""
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        for row in db.scalars(select(RefreshSession)):
            if "created" in shift:
                row.created_at -= shift["created"]
            if "expires" in shift:
                row.expires_at -= shift["expires"]


def _refresh(client: TestClient):
    return client.post("/api/token/refresh")


def test_the_default_maximum_is_ten_hours_until_an_admin_saves_one(client, api) -> None:
    response = client.get(URL, headers=_admin(api))
    assert response.status_code == 200
    assert response.json() == {
        "maxSessionHours": 10,
        "idleMinutes": 120,
        "version": 0,
        "updatedAt": None,
    }
    assert response.headers["ETag"] == '"0"'


def test_an_admin_saves_the_maximum_in_identitys_database(client, api) -> None:
    admin = _admin(api)
    saved = client.put(URL, json={"maxSessionHours": 8}, headers={**admin, "If-Match": '"0"'})
    assert saved.status_code == 200, saved.text
    assert saved.json()["maxSessionHours"] == 8
    assert saved.json()["version"] == 1
    assert saved.headers["ETag"] == '"1"'
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        row = db.get(SessionSettings, 1)
        assert row is not None
        assert (row.max_session_hours, row.version) == (8, 1)
    assert client.get(URL, headers=admin).json()["maxSessionHours"] == 8


def test_a_stale_or_missing_if_match_is_refused(client, api) -> None:
    admin = _admin(api)
    _set_maximum(client, admin, 9)
    body = {"maxSessionHours": 11}
    assert client.put(URL, json=body, headers=admin).status_code == 428
    stale = client.put(URL, json=body, headers={**admin, "If-Match": '"0"'})
    assert stale.status_code == 412
    assert client.get(URL, headers=admin).json()["maxSessionHours"] == 9


@pytest.mark.parametrize("value", [0, 25, "10", 7.5, None])
def test_a_maximum_outside_one_to_twenty_four_hours_names_the_field(client, api, value) -> None:
    response = client.put(
        URL, json={"maxSessionHours": value}, headers={**_admin(api), "If-Match": '"0"'}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["maxSessionHours"]


@pytest.mark.parametrize("email", ["recepcion@demo.clinic", "fisio@demo.clinic"])
def test_only_admins_read_or_change_the_session_settings(client, api, email) -> None:
    staff = api.bearer(api.token(email))
    assert client.get(URL, headers=staff).status_code == 403
    put = client.put(URL, json={"maxSessionHours": 24}, headers={**staff, "If-Match": '"0"'})
    assert put.status_code == 403
    assert client.get(URL).status_code == 401


def test_login_says_when_the_session_ends_and_that_activity_renews_it(client, api) -> None:
    body = api.login("fisio@demo.clinic").json()
    assert IDLE_SECONDS - 5 <= body["sessionExpiresIn"] <= IDLE_SECONDS
    assert body["sessionRenewable"] is True


def test_a_refresh_renews_the_session_for_the_idle_lifetime(client, api) -> None:
    api.login("fisio@demo.clinic")
    _age_sessions(client, created=timedelta(hours=2), expires=timedelta(hours=1, minutes=59))
    renewed = _refresh(client)
    assert renewed.status_code == 200, renewed.text
    assert IDLE_SECONDS - 5 <= renewed.json()["sessionExpiresIn"] <= IDLE_SECONDS
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        row = db.scalars(select(RefreshSession)).one()
        assert row.expires_at > utcnow() + timedelta(hours=1, minutes=59)
    assert "Max-Age=71" in renewed.headers["set-cookie"]  # the cookie follows: ~7200 s


def test_an_idle_session_has_ended(client, api) -> None:
    api.login("fisio@demo.clinic")
    _age_sessions(client, expires=timedelta(hours=2, seconds=1))
    assert _refresh(client).status_code == 401


def test_a_refresh_beyond_the_maximum_is_401_however_active_the_user(client, api) -> None:
    admin = _admin(api)
    _set_maximum(client, admin, 8)
    client.cookies.clear()
    api.login("recepcion@demo.clinic")
    # Eight hours of use: the session was renewed by activity and still has idle time left.
    _age_sessions(client, created=timedelta(hours=8, seconds=1))
    refused = _refresh(client)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_near_the_maximum_a_refresh_ends_the_session_at_the_maximum(client, api) -> None:
    admin = _admin(api)
    _set_maximum(client, admin, 8)
    client.cookies.clear()
    api.login("recepcion@demo.clinic")
    _age_sessions(client, created=timedelta(hours=7, minutes=30))
    near = _refresh(client)
    assert near.status_code == 200, near.text
    assert 30 * 60 - 5 <= near.json()["sessionExpiresIn"] <= 30 * 60
    assert near.json()["sessionRenewable"] is False


def test_lowering_the_maximum_ends_longer_live_sessions_at_their_next_refresh(client, api) -> None:
    admin = _admin(api)
    client.cookies.clear()
    api.login("fisio@demo.clinic")
    _age_sessions(client, created=timedelta(hours=3))
    assert _refresh(client).status_code == 200
    with client.app.state.services.new_session() as db, db.begin():
        db.execute(update(RefreshSession).values(created_at=utcnow() - timedelta(hours=3)))
    _set_maximum(client, admin, 2)
    assert _refresh(client).status_code == 401


def test_a_maximum_below_the_idle_lifetime_bounds_a_fresh_login(client, api) -> None:
    _set_maximum(client, _admin(api), 1)
    body = api.login("fisio@demo.clinic").json()
    assert 3600 - 5 <= body["sessionExpiresIn"] <= 3600
    assert body["sessionRenewable"] is False


def test_reset_db_brings_the_default_maximum_back(client, api) -> None:
    _set_maximum(client, _admin(api), 5)
    assert client.post("/api/test/reset-db").status_code == 204
    assert client.get(URL, headers=_admin(api)).json()["maxSessionHours"] == 10


@pytest.mark.parametrize(
    ("at_maximum", "renewable"), [(False, True), (True, False)], ids=["idle", "maximum"]
)
def test_the_test_shortcut_ages_live_sessions(client, api, at_maximum, renewable) -> None:
    api.login("fisio@demo.clinic")
    body = {"endsInSeconds": 30, "atMaximum": at_maximum}
    assert client.post("/api/test/sessions/ending", json=body).status_code == 204
    with client.app.state.services.new_session() as db, db.begin():
        row = db.scalars(select(RefreshSession)).one()
        assert row.expires_at <= utcnow() + timedelta(seconds=30)
    refreshed = _refresh(client).json()
    assert refreshed["sessionRenewable"] is renewable
    if at_maximum:
        assert refreshed["sessionExpiresIn"] <= 30
    else:
        assert refreshed["sessionExpiresIn"] > 3600
