"""Events through real Redis: the live consumer, the outbox relay, and the CLI."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import redis
from sqlalchemy import select

from clinic_scheduling.cli import run
from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.infrastructure.tables import appointment_types, patients, practitioners
from clinic_shared.events import from_fields, to_fields

pytestmark = pytest.mark.integration


def _eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def test_the_consumer_reads_history_and_names_show_up(
    api: Any, settings: SchedulingSettings, redis_client: redis.Redis
) -> None:
    user = api.user_event(fullName="Marta Ruiz")
    patient = api.patient_event(fullName="Iñaki Pérez")
    redis_client.xadd(settings.identity_stream, to_fields(user))  # type: ignore[arg-type]
    redis_client.xadd(settings.patients_stream, to_fields(patient))  # type: ignore[arg-type]
    user_id, patient_id = user.data["userId"], patient.data["patientId"]

    def booked() -> Any:
        response = api.book(
            practitionerId=user_id,
            patientId=patient_id,
            type="follow_up",
            startsAt="2027-03-29T09:00:00+02:00",
        )
        return response.json() if response.status_code == 201 else None

    appointment = _eventually(booked)
    assert appointment, "the consumer never filled the read models"
    assert appointment["practitionerName"] == "Marta Ruiz"
    assert appointment["patientName"] == "Iñaki Pérez"

    renamed = api.patient_event("patient.updated", patientId=patient_id, fullName="Iñaki Pérez Gil")
    redis_client.xadd(settings.patients_stream, to_fields(renamed))  # type: ignore[arg-type]
    url = f"/api/appointments/{appointment['id']}"
    assert _eventually(lambda: api.get(url).json()["patientName"] == "Iñaki Pérez Gil")

    def published() -> list[Any]:
        entries = redis_client.xrange(settings.events_stream)
        return [from_fields(fields) for _, fields in entries]  # type: ignore[union-attr]

    events = _eventually(published)
    assert [e.type for e in events] == ["appointment.booked"]
    assert events[0].data["appointmentId"] == appointment["id"]


def test_rebuild_read_models_replays_both_streams(
    api: Any, settings: SchedulingSettings, redis_client: redis.Redis
) -> None:
    user = api.user_event(fullName="Pablo Sanz")
    patient = api.patient_event(fullName="Elena Vidal")
    renamed = api.patient_event(
        "patient.updated", patientId=patient.data["patientId"], fullName="Elena V."
    )
    redis_client.xadd(settings.identity_stream, to_fields(user))  # type: ignore[arg-type]
    for envelope in (patient, renamed):
        redis_client.xadd(settings.patients_stream, to_fields(envelope))  # type: ignore[arg-type]
    stray = api.practitioner(fullName="Nobody")

    assert run(["rebuild-read-models"], settings) == "read models rebuilt from 3 events"
    with api._session() as session:
        known = session.execute(select(practitioners.c.id)).scalars().all()
        patient_name = session.execute(
            select(patients.c.full_name).where(patients.c.id == patient.data["patientId"])
        ).scalar_one()
    assert known == [user.data["userId"]]
    assert stray not in known
    assert patient_name == "Elena V."


def test_migrate_and_seed_demo_are_idempotent(api: Any, settings: SchedulingSettings) -> None:
    assert run(["migrate"], settings) == "scheduling database is up to date"
    assert run(["seed-demo"], settings) == "appointment types added: none (already there)"
    with api._session() as session:
        session.execute(appointment_types.delete().where(appointment_types.c.code == "follow_up"))
        session.commit()
    assert run(["seed-demo"], settings) == "appointment types added: 1"


def test_reset_db_empties_the_calendar(api: Any) -> None:
    booked = api.booked(
        practitionerId=api.practitioner(),
        patientId=api.patient(),
        type="follow_up",
        startsAt="2027-03-29T09:00:00+02:00",
    )
    assert api.client.post("/api/test/reset-db").status_code == 204
    assert api.get(f"/api/appointments/{booked['id']}").status_code == 404
    assert len(api.get("/api/appointment-types").json()["member"]) == 5
