"""What identity emits validates against clinic_shared.contracts (strictly: no extra fields)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from clinic_identity.config import IdentitySettings
from clinic_identity.models import User, outbox
from clinic_identity.user_events import user_payload
from clinic_shared.contracts import STREAMS, contract_for, example_payload, validate_payload
from clinic_shared.contracts.identity import USER_DEACTIVATED, USER_REGISTERED, USER_UPDATED
from clinic_shared.events.envelope import EventEnvelope

USER_EVENTS = (USER_REGISTERED, USER_UPDATED, USER_DEACTIVATED)


def _user(**changes: object) -> User:
    values: dict[str, object] = {
        "id": "5b0f7c52-9a43-4c1e-8d0e-3f1b2a6c9d10",
        "email": "lucia@demo.clinic",
        "full_name": "Lucía Martín",
        "roles": ["ROLE_PRACTITIONER"],
        "active": True,
        "color": "#3b82f6",
        "locale": "es",
        "password_hash": "$argon2id$secret",
        "created_at": datetime(2026, 1, 1),
        "updated_at": datetime(2026, 1, 1),
        "version": 1,
    }
    values.update(changes)
    return User(**values)


def user_event_data(user: User, event_type: str) -> dict[str, object]:
    """What identity puts in the envelope's ``data`` for ``event_type`` about ``user``."""
    return user_payload(contract_for(event_type), user).to_data()


@pytest.mark.parametrize("event_type", USER_EVENTS)
def test_payload_matches_the_contract_exactly(event_type: str) -> None:
    data = user_event_data(_user(), event_type)
    validate_payload(event_type, data, allow_unknown_fields=False)
    assert set(data) == set(example_payload(event_type))
    assert "$argon2id$secret" not in str(data)


def test_staff_without_a_colour_is_valid() -> None:
    data = user_event_data(_user(color=None, roles=["ROLE_RECEPTIONIST"]), USER_REGISTERED)
    validate_payload(USER_REGISTERED, data, allow_unknown_fields=False)


def test_identity_publishes_on_the_contract_stream() -> None:
    assert {STREAMS[t] for t in USER_EVENTS} == {IdentitySettings().events_stream}


@pytest.mark.integration
def test_every_event_emitted_through_the_api_validates(client, api) -> None:
    admin = api.bearer(api.token("admin@demo.clinic"))
    created = client.post(
        "/api/users",
        json={
            "email": "nuria@demo.clinic",
            "fullName": "Núria Vidal",
            "roles": ["ROLE_PRACTITIONER", "ROLE_ADMIN"],
            "color": "#7c3aed",
            "locale": "en",
            "password": "nuria-secret",
        },
        headers=admin,
    ).json()
    body = {k: created[k] for k in ("email", "fullName", "roles", "active", "color", "locale")}
    url = f"/api/users/{created['id']}"
    client.put(url, json={**body, "color": None}, headers={**admin, "If-Match": '"1"'})
    client.put(url, json={**body, "active": False}, headers={**admin, "If-Match": '"2"'})

    services = client.app.state.services
    with services.new_session() as db, db.begin():
        rows = db.execute(select(outbox).order_by(outbox.c.id)).all()
    seen = set()
    for row in rows:
        envelope = EventEnvelope.from_json(row.payload)
        assert envelope.type == row.event_type
        assert envelope.producer == "identity"
        validate_payload(envelope.type, envelope.data, allow_unknown_fields=False)
        seen.add(envelope.type)
    assert seen == set(USER_EVENTS)
