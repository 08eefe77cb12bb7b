"""Edits and deletes of an existing visit: what others hear, who may still be edited, row locks.

The last two each fail against a mutant of ``application/booking.py`` that the API tests let
through (docs/testing.md, "scheduling-booking").
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import select, update

from clinic_scheduling.application.booking import delete_appointment
from clinic_scheduling.infrastructure.tables import appointments, outbox
from clinic_shared.errors import ConflictError

pytestmark = pytest.mark.integration

PAST_MONDAY = "2026-03-30T09:00:00+02:00"  # only a visit that has started can be completed


def _event_types(api: Any, appointment_id: str) -> list[str]:
    with api._session() as session:
        payloads = session.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        envelopes = [json.loads(payload) for payload in payloads]
    return [e["type"] for e in envelopes if e["data"]["appointmentId"] == appointment_id]


def _visit(api: Any, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": PAST_MONDAY,
        **changes,
    }
    booked = api.booked(**body)
    return booked, {**body, "endsAt": booked["endsAt"]}


def test_an_edit_of_the_notes_alone_tells_other_services_nothing(api: Any) -> None:
    booked, edit = _visit(api)

    response = api.put(booked["id"], {**edit, "notes": "Trae la resonancia"}, '"1"')

    assert response.status_code == 200
    assert response.json()["notes"] == "Trae la resonancia"
    assert _event_types(api, booked["id"]) == ["appointment.booked"]  # no notes in events


def test_a_visit_of_a_patient_or_practitioner_deactivated_since_can_still_be_completed(
    api: Any,
) -> None:
    booked, edit = _visit(api)
    deactivated = api.patient_event(
        "patient.deactivated", patientId=edit["patientId"], status="inactive", entityVersion=2
    )
    api.apply(deactivated)
    left = api.user_event(
        "user.deactivated", userId=edit["practitionerId"], active=False, entityVersion=2
    )
    api.apply(left)
    assert api.book(**{**edit, "startsAt": "2026-03-30T11:00:00+02:00"}).status_code == 422

    response = api.put(booked["id"], {**edit, "status": "completed"}, '"1"')

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"


def test_a_delete_waits_for_a_completion_in_flight_then_refuses_it(api: Any) -> None:
    booked, _ = _visit(api)
    appointment_id = uuid.UUID(booked["id"])
    services = api.client.app.state.services
    outcome: list[BaseException | None] = []

    def delete() -> None:
        with api._session() as session:
            try:
                delete_appointment(session, services.events, appointment_id)
                outcome.append(None)
            except ConflictError as exc:
                outcome.append(exc)

    with api._session() as completing:
        # The front desk completes the visit; its transaction holds the row, not yet committed.
        completing.execute(
            update(appointments)
            .where(appointments.c.id == booked["id"])
            .values(status="completed", version=appointments.c.version + 1)
        )
        deleting = threading.Thread(target=delete)
        deleting.start()
        time.sleep(0.5)  # the delete has read the row by now, or is waiting on its lock
        completing.commit()
    deleting.join(10)

    assert len(outcome) == 1
    assert isinstance(outcome[0], ConflictError)  # it saw the completion: a completed visit stays
    with api._session() as session:
        status = session.scalar(
            select(appointments.c.status).where(appointments.c.id == booked["id"])
        )
    assert status == "completed"
