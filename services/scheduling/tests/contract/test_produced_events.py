"""Producer contract: every appointment event in the outbox matches its contract exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from clinic_scheduling.infrastructure.tables import outbox
from clinic_shared.contracts import CONTRACTS, example_payload, validate_payload

pytestmark = pytest.mark.integration


def _events(api: Any, appointment_id: str) -> list[dict[str, Any]]:
    with api._session() as session:
        rows = session.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        envelopes = [json.loads(row) for row in rows]
    return [e for e in envelopes if e["data"]["appointmentId"] == appointment_id]


def test_the_examples_are_valid() -> None:
    for event_type in [t for t in CONTRACTS if t.startswith("appointment.")]:
        validate_payload(event_type, example_payload(event_type), allow_unknown_fields=False)


def test_the_lifecycle_emits_valid_events(api: Any) -> None:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        # In the past: only a visit that has started can be missed or completed.
        "startsAt": "2026-03-30T09:00:00+02:00",
    }
    booked = api.booked(**body)
    edit = {**body, "startsAt": "2026-03-30T10:00:00+02:00", "endsAt": "2026-03-30T10:45:00+02:00"}
    assert api.put(booked["id"], edit, '"1"').status_code == 200
    assert api.put(booked["id"], {**edit, "status": "no_show"}, '"2"').status_code == 200
    assert api.put(booked["id"], {**edit, "status": "scheduled"}, '"3"').status_code == 200
    assert api.put(booked["id"], {**edit, "status": "arrived"}, '"4"').status_code == 200
    assert api.put(booked["id"], {**edit, "status": "completed"}, '"5"').status_code == 200
    other = api.booked(**{**body, "startsAt": "2026-03-31T09:00:00+02:00"})
    url = f"/api/appointments/{other['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 204
    late = api.booked(**{**body, "startsAt": "2026-04-01T09:00:00+02:00"})
    cancel = {**body, "startsAt": late["startsAt"], "endsAt": late["endsAt"]}
    cancel.update(status="cancelled", cancellationReason="late")
    assert api.put(late["id"], cancel, '"1"').status_code == 200

    events = _events(api, booked["id"]) + _events(api, other["id"]) + _events(api, late["id"])
    assert [e["type"] for e in events] == [
        "appointment.booked",
        "appointment.rescheduled",
        "appointment.no_show",
        "appointment.rescheduled",
        "appointment.arrived",
        "appointment.completed",
        "appointment.booked",
        "appointment.cancelled",
        "appointment.booked",
        "appointment.cancelled",
    ]
    for event in events:
        assert event["producer"] == "scheduling"
        validate_payload(event["type"], event["data"], allow_unknown_fields=False)
    assert events[4]["data"]["status"] == "arrived"
    completed = events[5]["data"]
    assert completed["status"] == "completed"
    assert completed["startsAt"] == "2026-03-30T08:00:00Z"
    assert completed["patientId"] == body["patientId"]
    deleted, cancelled_late = events[7]["data"], events[-1]["data"]
    assert (deleted["status"], deleted["cancellationReason"]) == ("cancelled", None)
    assert (cancelled_late["status"], cancelled_late["cancellationReason"]) == ("cancelled", "late")


def test_a_deleted_visit_is_heard_as_cancelled_once(api: Any) -> None:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": "2026-03-30T11:00:00+02:00",
    }
    arrived = api.booked(**body)
    edit = {**body, "endsAt": arrived["endsAt"]}
    assert api.put(arrived["id"], {**edit, "status": "arrived"}, '"1"').status_code == 200
    cancelled = api.booked(**{**body, "startsAt": "2026-03-30T12:00:00+02:00"})
    edit = {**body, "startsAt": cancelled["startsAt"], "endsAt": cancelled["endsAt"]}
    edit.update(status="cancelled", cancellationReason="patient")
    assert api.put(cancelled["id"], edit, '"1"').status_code == 200
    for appointment in (arrived, cancelled):
        url = f"/api/appointments/{appointment['id']}"
        assert api.client.delete(url, headers=api.headers).status_code == 204

    # An arrived visit deleted: others hear it cancelled, one version past its last state.
    heard = _events(api, arrived["id"])
    assert [e["type"] for e in heard] == [
        "appointment.booked",
        "appointment.arrived",
        "appointment.cancelled",
    ]
    assert [e["data"]["entityVersion"] for e in heard] == [1, 2, 3]
    # A cancelled one deleted: they heard it cancelled already; nothing more is said.
    assert [e["type"] for e in _events(api, cancelled["id"])] == [
        "appointment.booked",
        "appointment.cancelled",
    ]
