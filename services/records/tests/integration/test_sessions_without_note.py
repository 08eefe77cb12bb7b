"""Completed appointments become sessions without a note until a note for them is signed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _now() -> str:
    return datetime.now(UTC).isoformat()


def test_signing_the_note_clears_the_session(api: Any) -> None:
    patient = api.patient(fullName="Iñaki Pérez")
    appointment = api.completed(patient, startsAt=_now())
    listed = api.ok(api.get("/api/records/sessions-without-note"))["member"]
    assert [(s["appointmentId"], s["patientName"]) for s in listed] == [
        (appointment, "Iñaki Pérez")
    ]
    assert api.ok(api.get("/stats")) == {"sessionsWithoutNote": 1}
    other = api.ok(api.get("/api/records/sessions-without-note", headers=api.other))
    assert other["member"] == []
    entry = api.draft(patient, appointmentId=appointment)
    assert api.ok(api.get("/stats"))["sessionsWithoutNote"] == 1  # a draft is not a note yet
    api.ok(api.sign(entry["id"]))
    assert api.ok(api.get("/api/records/sessions-without-note"))["member"] == []
    assert api.ok(api.get("/stats")) == {"sessionsWithoutNote": 0}


def test_a_note_signed_before_the_event_and_an_undone_completion(api: Any) -> None:
    patient = api.patient()
    early = api.appointment_event(
        patientId=patient, status="completed", practitionerId=api.user_id, startsAt=_now()
    )
    entry = api.draft(patient, appointmentId=early.data["appointmentId"])
    api.ok(api.sign(entry["id"]))
    api.apply(early)
    assert api.ok(api.get("/api/records/sessions-without-note"))["member"] == []
    undone = api.appointment_event(
        patientId=patient,
        status="completed",
        practitionerId=api.user_id,
        startsAt=_now(),
        entityVersion=3,
    )
    api.apply(undone)
    assert len(api.ok(api.get("/api/records/sessions-without-note"))["member"]) == 1
    reverted = {**undone.data, "status": "scheduled", "entityVersion": 4}
    api.apply(api.appointment_event("appointment.booked", **reverted))
    assert api.ok(api.get("/api/records/sessions-without-note"))["member"] == []
    late = {**undone.data, "entityVersion": 2}  # older than what is held: ignored
    api.apply(api.appointment_event(**late))
    assert api.ok(api.get("/api/records/sessions-without-note"))["member"] == []
