"""Every documented scheduling event is consumed: its example is kept and counted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from clinic_patients.consumers import HANDLERS
from clinic_patients.models import patient_appointments, processed_events
from clinic_shared.contracts import example_payload, scheduling
from clinic_shared.events import EventEnvelope, apply_once


def test_every_scheduling_event_has_a_handler() -> None:
    assert set(HANDLERS) == set(scheduling.CONTRACTS)


@pytest.mark.integration
@pytest.mark.parametrize("event_type", sorted(scheduling.CONTRACTS))
def test_the_example_is_consumed(client, api, event_type: str) -> None:
    patient = api.created()
    data = {**example_payload(event_type), "patientId": patient["id"]}
    data["appointmentId"] = str(uuid.uuid4())
    envelope = EventEnvelope(
        id=str(uuid.uuid4()),
        type=event_type,
        occurred_at=datetime.now(UTC),
        producer=scheduling.PRODUCER,
        data=data,
    )
    session_factory = client.app.state.services.sessions

    assert apply_once(session_factory, processed_events, "patients", envelope, HANDLERS[event_type])

    with session_factory() as db:
        kept = db.execute(
            select(patient_appointments).where(
                patient_appointments.c.appointment_id == data["appointmentId"]
            )
        ).one()
    assert (kept.patient_id, kept.status) == (patient["id"], data["status"])
    body = api.get(patient["id"]).json()
    starts = data["startsAt"].replace("Z", "+00:00")
    expected_last = starts if data["status"] == "completed" else None
    expected_next = starts if data["status"] == "scheduled" else None
    parse = lambda value: datetime.fromisoformat(value) if value else None  # noqa: E731
    assert parse(body["lastVisitAt"]) == parse(expected_last)
    assert parse(body["nextAppointmentAt"]) == parse(expected_next)
