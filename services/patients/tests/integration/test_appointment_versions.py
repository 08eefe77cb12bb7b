"""Finding 15: the copy of scheduling's appointments keeps the newest version, whatever arrives."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from clinic_patients.consumers import HANDLERS
from clinic_patients.models import Patient, patient_appointments
from clinic_shared.contracts.scheduling import AppointmentBooked
from clinic_shared.events import EventEnvelope

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
STATUSES = ("scheduled", "completed", "cancelled", "no_show")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _event(
    appointment_id: str, patient_id: str, version: int, starts_at: datetime, status: str, at: Any
) -> EventEnvelope:
    data = {
        **AppointmentBooked.EXAMPLE,
        "appointmentId": appointment_id,
        "patientId": patient_id,
        "status": status,
        "startsAt": _iso(starts_at),
        "endsAt": _iso(starts_at + timedelta(minutes=45)),
        "entityVersion": version,
    }
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type="appointment.booked" if version == 1 else "appointment.rescheduled",
        occurred_at=at,
        producer="scheduling",
        data=data,
    )


def _apply(client: Any, envelope: EventEnvelope) -> None:
    with client.app.state.services.sessions() as session:
        HANDLERS[envelope.type](session, envelope)
        session.commit()


def _visits(client: Any, patient_id: str) -> tuple[Any, Any]:
    with client.app.state.services.new_session() as db, db.begin():
        row = db.execute(
            select(Patient.last_visit_at, Patient.next_appointment_at).where(
                Patient.id == patient_id
            )
        ).one()
        return row.last_visit_at, row.next_appointment_at


def _copies(client: Any, ids: set[str]) -> dict[str, tuple[Any, ...]]:
    table = patient_appointments
    with client.app.state.services.new_session() as db, db.begin():
        rows = db.execute(select(table).where(table.c.appointment_id.in_(ids))).all()
    # event_at differs between deliveries of the same state: what is kept is the rest.
    return {
        row.appointment_id: (row.patient_id, row.starts_at, row.status, row.entity_version)
        for row in rows
    }


def test_a_version_wins_over_a_later_clock(client, api) -> None:
    """A replica with a clock ahead stamps the older state later: the version decides."""
    patient = api.created()["id"]
    appointment = str(uuid.uuid4())
    starts = NOW + timedelta(days=3)
    moved = NOW + timedelta(days=9)
    _apply(client, _event(appointment, patient, 2, moved, "scheduled", NOW))
    _apply(client, _event(appointment, patient, 1, starts, "scheduled", NOW + timedelta(minutes=5)))

    assert _visits(client, patient) == (None, moved.replace(tzinfo=None))


def test_a_redelivered_cancelled_state_does_not_undo_a_completion(client, api) -> None:
    patient = api.created()["id"]
    appointment = str(uuid.uuid4())
    visit = NOW - timedelta(days=1)
    old = _event(appointment, patient, 1, visit, "scheduled", NOW)
    _apply(client, old)
    _apply(client, _event(appointment, patient, 2, visit, "completed", NOW))
    _apply(client, old)
    assert _visits(client, patient) == (visit.replace(tzinfo=None), None)


def test_a_shuffled_replay_of_1000_events_ends_as_in_order_delivery(client, api) -> None:
    rng = random.Random(15)
    patients = [
        api.created(taxId=None, firstName=f"Versioned{i}", email=None)["id"] for i in range(4)
    ]
    history: list[EventEnvelope] = []
    appointments = [str(uuid.uuid4()) for _ in range(10)]
    for appointment in appointments:
        for version in range(1, 101):
            starts = NOW + timedelta(days=rng.randint(-30, 30), hours=rng.randint(0, 8))
            # Occurred-at clocks from several replicas: not in version order.
            at = NOW + timedelta(seconds=rng.randint(0, 10_000))
            status = rng.choice(STATUSES)
            history.append(_event(appointment, rng.choice(patients), version, starts, status, at))
    assert len(history) == 1000

    for envelope in sorted(history, key=lambda e: int(e.data["entityVersion"])):
        _apply(client, envelope)
    expected = (_copies(client, set(appointments)), [_visits(client, p) for p in patients])
    assert all(copy[3] == 100 for copy in expected[0].values())

    with client.app.state.services.new_session() as db, db.begin():
        db.execute(
            delete(patient_appointments).where(
                patient_appointments.c.appointment_id.in_(appointments)
            )
        )
    shuffled = history + rng.sample(history, 100)  # some delivered twice
    rng.shuffle(shuffled)
    for envelope in shuffled:
        _apply(client, envelope)

    assert (_copies(client, set(appointments)), [_visits(client, p) for p in patients]) == expected
