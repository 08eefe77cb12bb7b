"""Finding 15: the read models apply an event only if it is not older than what they hold."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from clinic_scheduling.application.read_models import forget_all
from clinic_scheduling.infrastructure.tables import patients, practitioners
from clinic_shared.contracts import example_payload
from clinic_shared.events import EventEnvelope, new_envelope

pytestmark = pytest.mark.integration

MONDAY_NINE = "2027-03-29T09:00:00+02:00"


def _user(user_id: str, version: int, event_type: str = "user.updated", **changes: Any) -> Any:
    data = {**example_payload(event_type), "userId": user_id, "entityVersion": version, **changes}
    return new_envelope(event_type, data, "identity")


def _patient(
    patient_id: str, version: int, event_type: str = "patient.updated", **changes: Any
) -> Any:
    data = {
        **example_payload(event_type),
        "patientId": patient_id,
        "entityVersion": version,
        **changes,
    }
    return new_envelope(event_type, data, "patients")


def _row(api: Any, table: Any, row_id: str) -> Any:
    with api._session() as session:
        return session.execute(select(table).where(table.c.id == row_id)).first()


def test_a_redelivered_old_event_does_not_revert_a_rename(api: Any) -> None:
    user_id = str(uuid.uuid4())
    registered = _user(user_id, 1, "user.registered", fullName="Lucía Martín")
    api.apply(registered)
    api.apply(_user(user_id, 2, fullName="Lucía Martín-Gómez"))

    api.apply(registered)  # late: a killed consumer's pending entry, reclaimed after the rename

    row = _row(api, practitioners, user_id)
    assert (row.full_name, row.entity_version) == ("Lucía Martín-Gómez", 2)

    patient_id = str(uuid.uuid4())
    first = _patient(patient_id, 1, "patient.registered", fullName="José García")
    api.apply(first)
    api.apply(_patient(patient_id, 2, fullName="José García Núñez"))
    api.apply(first)
    assert _row(api, patients, patient_id).full_name == "José García Núñez"


def test_an_old_event_does_not_make_a_deactivated_patient_bookable(api: Any) -> None:
    patient_id = str(uuid.uuid4())
    registered = _patient(patient_id, 1, "patient.registered", status="active")
    api.apply(registered)
    api.apply(_patient(patient_id, 2, "patient.deactivated", status="inactive"))

    api.apply(registered)
    api.apply(_patient(patient_id, 1, status="active"))

    assert _row(api, patients, patient_id).status == "inactive"
    body = {
        "practitionerId": api.practitioner(),
        "patientId": patient_id,
        "type": "follow_up",
        "startsAt": MONDAY_NINE,
    }
    response = api.book(**body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "patientId"


def test_an_equal_version_is_applied_again_harmlessly(api: Any) -> None:
    user_id = str(uuid.uuid4())
    event = _user(user_id, 3, "user.registered", fullName="Ana")
    api.apply(event)
    api.apply(event)
    assert _row(api, practitioners, user_id).full_name == "Ana"


def test_events_without_a_version_still_apply_but_never_over_a_versioned_one(api: Any) -> None:
    user_id = str(uuid.uuid4())
    legacy = _user(user_id, 1, "user.registered", fullName="Old")
    legacy_data = {k: v for k, v in legacy.data.items() if k != "entityVersion"}
    api.apply(new_envelope("user.registered", legacy_data, "identity"))
    assert _row(api, practitioners, user_id).entity_version == 0
    api.apply(_user(user_id, 1, fullName="New"))
    api.apply(new_envelope("user.registered", legacy_data, "identity"))
    assert _row(api, practitioners, user_id).full_name == "New"


def _history(rng: random.Random) -> list[EventEnvelope]:
    """1,000 events: 5 users and 5 patients, each through many versions, in producer order."""
    events: list[EventEnvelope] = []
    people = [("user", str(uuid.uuid4())) for _ in range(5)]
    people += [("patient", str(uuid.uuid4())) for _ in range(5)]
    for kind, entity_id in people:
        for version in range(1, 101):
            name = f"{kind} {entity_id[:8]} v{version}"
            if kind == "user":
                active = version % 7 != 0
                event_type = "user.registered" if version == 1 else "user.updated"
                roles = ["ROLE_PRACTITIONER"] if version % 3 else ["ROLE_RECEPTIONIST"]
                events.append(
                    _user(entity_id, version, event_type, fullName=name, active=active, roles=roles)
                )
            else:
                status = "inactive" if version % 5 == 0 else "active"
                event_type = "patient.registered" if version == 1 else "patient.updated"
                events.append(
                    _patient(
                        entity_id, version, event_type, fullName=name, status=status, phone=None
                    )
                )
    return events


def _state(api: Any, ids: set[str]) -> dict[str, tuple[Any, ...]]:
    with api._session() as session:
        rows = [
            *session.execute(select(practitioners).where(practitioners.c.id.in_(ids))),
            *session.execute(select(patients).where(patients.c.id.in_(ids))),
        ]
    return {row.id: tuple(row) for row in rows}


def test_a_shuffled_replay_of_1000_events_ends_as_in_order_delivery(api: Any) -> None:
    rng = random.Random(15)
    history = _history(rng)
    ids = {str(e.data.get("userId") or e.data["patientId"]) for e in history}
    # Every version of every entity, in interleaved producer order.
    in_order = sorted(history, key=lambda e: (int(e.data["entityVersion"]), rng.random()))
    for envelope in in_order:
        api.apply(envelope)
    expected = _state(api, ids)
    assert len(expected) == 10
    assert all(row[1].endswith(" v100") for row in expected.values())  # full_name

    with api._session() as session:
        forget_all(session)
    # Redelivered: a tenth of them twice, and all in random order.
    shuffled = history + rng.sample(history, 100)
    rng.shuffle(shuffled)
    assert len(shuffled) == 1100
    for envelope in shuffled:
        api.apply(envelope)

    assert _state(api, ids) == expected
