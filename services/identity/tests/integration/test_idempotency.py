"""Idempotency-Key on POST /api/users: a retried create makes one user, not two."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_identity.models import User, outbox

pytestmark = pytest.mark.integration

NEW_USER: dict[str, Any] = {
    "email": "oriol.serra@demo.clinic",
    "fullName": "Oriol Serra",
    "roles": ["ROLE_RECEPTIONIST"],
    "locale": "es",
    "password": "oriol-secret-1",
}


@pytest.fixture
def admin(api) -> dict[str, str]:
    return api.bearer(api.token("admin@demo.clinic"))


def _count(client, *where: Any, table: Any = User.__table__) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(table).where(*where)) or 0


def test_a_create_retried_after_a_lost_response_creates_one_user(client, admin) -> None:
    headers = {**admin, "Idempotency-Key": "create-oriol-1"}
    events = _count(client, table=outbox)
    first = client.post("/api/users", json=NEW_USER, headers=headers)
    # The client never saw `first` (the connection dropped): it sends the same request again.
    retry = client.post("/api/users", json=NEW_USER, headers=headers)

    assert first.status_code == retry.status_code == 201, first.text
    assert retry.json() == first.json()
    assert retry.headers["etag"] == first.headers["etag"] == '"1"'
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _count(client, User.email == NEW_USER["email"]) == 1
    assert _count(client, table=outbox) == events + 1  # one user.registered


def test_the_same_key_with_another_body_is_422_and_creates_nothing(client, admin) -> None:
    headers = {**admin, "Idempotency-Key": "create-oriol-2"}
    first = client.post("/api/users", json=NEW_USER, headers=headers)
    other = {**NEW_USER, "email": "someone.else@demo.clinic"}
    response = client.post("/api/users", json=other, headers=headers)

    assert first.status_code == 201, first.text
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert _count(client, User.email == other["email"]) == 0
