"""Events go through the outbox: written with the change, published to Redis by the relay."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_identity.models import User, outbox
from clinic_shared.events.envelope import from_fields
from clinic_shared.events.outbox import OutboxWriter

pytestmark = pytest.mark.integration

NEW_USER = {
    "email": "pau.ferrer@demo.clinic",
    "fullName": "Pau Ferrer",
    "roles": ["ROLE_RECEPTIONIST"],
    "locale": "es",
    "password": "pau-secret-1",
}


def _outbox_rows(client) -> list[Any]:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return list(db.execute(select(outbox).order_by(outbox.c.id)).all())


def _count_users(client) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(User)) or 0


def _wait_for_stream(redis_client, stream: str, count: int, timeout: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = redis_client.xrange(stream)
        if len(entries) >= count:
            return entries
        time.sleep(0.05)
    raise AssertionError(f"{stream} has {len(redis_client.xrange(stream))} entries, not {count}")


def test_creating_a_user_writes_and_publishes_user_registered(
    client, api, settings, redis_client
) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    seeded = len(_outbox_rows(client))
    response = client.post(
        "/api/users", json=NEW_USER, headers={**admin, "X-Request-ID": "req-create-pau"}
    )
    assert response.status_code == 201
    rows = _outbox_rows(client)[seeded:]
    assert [row.event_type for row in rows] == ["user.registered"]
    assert rows[0].stream == settings.events_stream

    entries = _wait_for_stream(redis_client, settings.events_stream, seeded + 1)
    envelope = from_fields(entries[-1][1])
    assert envelope.type == "user.registered"
    assert envelope.producer == "identity"
    assert envelope.correlation_id == "req-create-pau"
    assert envelope.data["userId"] == response.json()["id"]
    assert envelope.data["email"] == "pau.ferrer@demo.clinic"
    assert not any("password" in key.lower() for key in envelope.data)
    deadline = time.monotonic() + 5
    while _outbox_rows(client)[-1].published_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _outbox_rows(client)[-1].published_at is not None


def test_a_failure_after_the_event_rolls_back_user_and_event_together(
    client, api, monkeypatch
) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    users, events = _count_users(client), len(_outbox_rows(client))
    real_add = OutboxWriter.add

    def add_then_fail(*args: Any, **kwargs: Any) -> Any:
        real_add(*args, **kwargs)
        raise RuntimeError("crash after the outbox insert")

    monkeypatch.setattr(OutboxWriter, "add", add_then_fail)
    client_no_raise = type(client)(client.app, raise_server_exceptions=False)
    response = client_no_raise.post("/api/users", json=NEW_USER, headers=admin)
    assert response.status_code == 500
    assert "crash" not in response.text
    assert (_count_users(client), len(_outbox_rows(client))) == (users, events)


def test_a_conflict_writes_no_event(client, api) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    events = len(_outbox_rows(client))
    response = client.post(
        "/api/users", json={**NEW_USER, "email": "admin@demo.clinic"}, headers=admin
    )
    assert response.status_code == 409
    assert len(_outbox_rows(client)) == events


def test_update_and_deactivation_events(client, api) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    created = client.post("/api/users", json=NEW_USER, headers=admin).json()
    url = f"/api/users/{created['id']}"
    body = {k: created[k] for k in ("email", "fullName", "roles", "active", "color", "locale")}
    before = len(_outbox_rows(client))
    client.put(url, json={**body, "color": "#000000"}, headers={**admin, "If-Match": '"1"'})
    client.put(url, json={**body, "color": "#000000"}, headers={**admin, "If-Match": '"2"'})
    client.put(url, json={**body, "active": False}, headers={**admin, "If-Match": '"2"'})
    client.put(url, json=body, headers={**admin, "If-Match": '"3"'})
    types = [row.event_type for row in _outbox_rows(client)[before:]]
    # The second PUT changed nothing: no event, no new version.
    assert types == ["user.updated", "user.deactivated", "user.updated"]
