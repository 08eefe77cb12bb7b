"""appointment.* events keep lastVisitAt and nextAppointmentAt, whatever their order or repeats."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from clinic_patients.consumers import HANDLERS
from clinic_patients.models import Patient, outbox, patient_appointments, processed_events
from clinic_shared.contracts.scheduling import (
    APPOINTMENT_BOOKED,
    APPOINTMENT_CANCELLED,
    APPOINTMENT_COMPLETED,
    APPOINTMENT_RESCHEDULED,
    AppointmentBooked,
)
from clinic_shared.events import EventEnvelope, apply_once

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _appointment(patient_id: str | None, starts_at: datetime, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **AppointmentBooked.EXAMPLE,
        "appointmentId": str(uuid.uuid4()),
        "patientId": patient_id,
        "startsAt": _iso(starts_at),
        "endsAt": _iso(starts_at + timedelta(minutes=45)),
    }
    return {**data, **changes}


class Scheduling:
    """Delivers appointment events to the patients handlers as the consumer does."""

    def __init__(self, session_factory: Callable[[], Any]) -> None:
        self.session_factory = session_factory
        self.clock = NOW - timedelta(hours=1)

    def envelope(self, event_type: str, data: dict[str, Any]) -> EventEnvelope:
        """An envelope occurring after every earlier one of this helper."""
        self.clock += timedelta(seconds=1)
        return EventEnvelope(
            id=str(uuid.uuid4()),
            type=event_type,
            occurred_at=self.clock,
            producer="scheduling",
            data=data,
        )

    def deliver(self, envelope: EventEnvelope) -> bool:
        """Handle ``envelope`` once (False: already handled)."""
        handler = HANDLERS[envelope.type]
        return apply_once(self.session_factory, processed_events, "patients", envelope, handler)

    def send(self, event_type: str, data: dict[str, Any]) -> None:
        """Emit and deliver at once."""
        assert self.deliver(self.envelope(event_type, data))


@pytest.fixture
def scheduling(client) -> Scheduling:
    return Scheduling(client.app.state.services.sessions)


@pytest.fixture
def patient(api) -> dict[str, Any]:
    return api.created()


def _visits(api, patient_id: str) -> tuple[datetime | None, datetime | None, str]:
    response = api.get(patient_id)
    assert response.status_code == 200, response.text
    body = response.json()
    parsed = [
        datetime.fromisoformat(body[key]) if body[key] else None
        for key in ("lastVisitAt", "nextAppointmentAt")
    ]
    return parsed[0], parsed[1], response.headers["etag"]


def test_booked_sets_next_without_a_new_version_or_event(client, api, scheduling, patient) -> None:
    etag = api.get(patient["id"]).headers["etag"]
    with client.app.state.services.new_session() as db, db.begin():
        events_before = db.scalar(select(func.count()).select_from(outbox))
    starts = NOW + timedelta(days=3)

    scheduling.send(APPOINTMENT_BOOKED, _appointment(patient["id"], starts))

    assert _visits(api, patient["id"]) == (None, starts, etag)
    with client.app.state.services.new_session() as db, db.begin():
        assert db.scalar(select(func.count()).select_from(outbox)) == events_before


def test_completed_sets_last_and_next_moves_to_the_following(api, scheduling, patient) -> None:
    first = _appointment(patient["id"], NOW + timedelta(days=1))
    second = _appointment(patient["id"], NOW + timedelta(days=8))
    scheduling.send(APPOINTMENT_BOOKED, first)
    scheduling.send(APPOINTMENT_BOOKED, second)

    scheduling.send(APPOINTMENT_COMPLETED, {**first, "status": "completed"})
    last, upcoming, _ = _visits(api, patient["id"])
    assert (last, upcoming) == (NOW + timedelta(days=1), NOW + timedelta(days=8))

    scheduling.send(APPOINTMENT_COMPLETED, {**second, "status": "completed"})
    assert _visits(api, patient["id"])[:2] == (NOW + timedelta(days=8), None)


def test_completed_before_booked_ends_completed(api, scheduling, patient) -> None:
    visit = _appointment(patient["id"], NOW - timedelta(days=2))
    booked = scheduling.envelope(APPOINTMENT_BOOKED, visit)
    completed = scheduling.envelope(APPOINTMENT_COMPLETED, {**visit, "status": "completed"})

    assert scheduling.deliver(completed)
    assert scheduling.deliver(booked)  # older: recorded as handled, changes nothing

    assert _visits(api, patient["id"])[:2] == (NOW - timedelta(days=2), None)


def test_a_redelivered_event_is_applied_once(client, api, scheduling, patient) -> None:
    booked_data = _appointment(patient["id"], NOW + timedelta(days=2))
    booked = scheduling.envelope(APPOINTMENT_BOOKED, booked_data)
    assert scheduling.deliver(booked)
    later = NOW + timedelta(days=5)
    moved = {**booked_data, "startsAt": _iso(later), "endsAt": _iso(later + timedelta(hours=1))}
    scheduling.send(APPOINTMENT_RESCHEDULED, moved)

    assert scheduling.deliver(booked) is False

    assert _visits(api, patient["id"])[1] == later
    with client.app.state.services.new_session() as db, db.begin():
        kept = db.execute(
            select(patient_appointments).where(
                patient_appointments.c.appointment_id == booked_data["appointmentId"]
            )
        ).one()
    assert kept.starts_at == later.replace(tzinfo=None)


def test_an_appointment_moved_to_another_patient_updates_both(api, scheduling, patient) -> None:
    other = api.created(taxId="00000001R", firstName="Marta", email="marta@example.es")
    data = _appointment(patient["id"], NOW + timedelta(days=4))
    scheduling.send(APPOINTMENT_BOOKED, data)

    scheduling.send(APPOINTMENT_RESCHEDULED, {**data, "patientId": other["id"]})

    assert _visits(api, patient["id"])[1] is None
    assert _visits(api, other["id"])[1] == NOW + timedelta(days=4)


def test_cancelled_clears_next_and_is_kept_as_cancelled(client, api, scheduling, patient) -> None:
    data = _appointment(patient["id"], NOW + timedelta(days=4))
    scheduling.send(APPOINTMENT_BOOKED, data)

    scheduling.send(APPOINTMENT_CANCELLED, {**data, "status": "cancelled"})

    assert _visits(api, patient["id"])[:2] == (None, None)
    with client.app.state.services.new_session() as db, db.begin():
        status = db.scalar(
            select(patient_appointments.c.status).where(
                patient_appointments.c.appointment_id == data["appointmentId"]
            )
        )
    assert status == "cancelled"


def test_blocks_without_a_patient_are_kept_and_touch_nobody(client, scheduling) -> None:
    block = _appointment(None, NOW + timedelta(days=1), kind="block", type=None)

    scheduling.send(APPOINTMENT_BOOKED, block)

    with client.app.state.services.new_session() as db, db.begin():
        patient_id = db.scalar(
            select(patient_appointments.c.patient_id).where(
                patient_appointments.c.appointment_id == block["appointmentId"]
            )
        )
        assert patient_id is None
        assert db.scalar(select(func.count()).where(Patient.next_appointment_at.is_not(None))) == 0


def test_reading_a_passed_next_appointment_moves_it_on(client, api, scheduling, patient) -> None:
    soon = _appointment(patient["id"], NOW + timedelta(hours=1))
    scheduling.send(APPOINTMENT_BOOKED, soon)
    scheduling.send(APPOINTMENT_BOOKED, _appointment(patient["id"], NOW + timedelta(days=9)))
    etag = api.get(patient["id"]).headers["etag"]
    passed = (NOW - timedelta(minutes=5)).replace(tzinfo=None)
    with client.app.state.services.new_session() as db, db.begin():
        # As if an hour had gone by since the last recompute.
        db.execute(
            update(patient_appointments)
            .where(patient_appointments.c.appointment_id == soon["appointmentId"])
            .values(starts_at=passed)
        )
        db.execute(
            update(Patient.__table__)
            .where(Patient.__table__.c.id == patient["id"])
            .values(next_appointment_at=passed)
        )

    assert _visits(api, patient["id"]) == (None, NOW + timedelta(days=9), etag)
    with client.app.state.services.new_session() as db, db.begin():
        stored = db.scalar(select(Patient.next_appointment_at).where(Patient.id == patient["id"]))
    assert stored == (NOW + timedelta(days=9)).replace(tzinfo=None)
