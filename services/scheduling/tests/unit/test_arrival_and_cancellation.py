"""The arrived status (the waiting room) and why an appointment was cancelled."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from clinic_scheduling.domain.appointments import (
    CANCELLATION_REASONS,
    EARLY_ARRIVAL,
    STATUSES,
    TRANSITIONS,
    Appointment,
    AppointmentDraft,
    cancelled,
    change_status,
    changed,
    with_cancellation_reason,
)
from clinic_shared.errors import ConflictError, FieldError

NINE = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
END = NINE + timedelta(minutes=45)
PRACTITIONER = uuid.uuid4()
PATIENT = uuid.uuid4()


def appointment(**changes: Any) -> Appointment:
    base = Appointment(
        id=uuid.uuid4(),
        practitioner_id=PRACTITIONER,
        patient_id=PATIENT,
        kind="appointment",
        type="follow_up",
        status="scheduled",
        starts_at=NINE,
        ends_at=END,
    )
    return replace(base, **changes)


def draft_of(current: Appointment, **changes: Any) -> AppointmentDraft:
    base = AppointmentDraft(
        practitioner_id=current.practitioner_id,
        patient_id=current.patient_id,
        kind=current.kind,
        type=current.type,
        starts_at=current.starts_at,
        ends_at=current.ends_at,
        status=current.status,
        cancellation_reason=current.cancellation_reason,
    )
    return replace(base, **changes)


def test_the_transition_table_names_every_status_and_arrived_sits_beside_the_outcomes() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert "arrived" in TRANSITIONS["scheduled"]
    assert TRANSITIONS["arrived"] == {"completed", "scheduled"}
    assert "arrived" in TRANSITIONS["no_show"]  # the patient turned up late after all
    assert TRANSITIONS["completed"] == TRANSITIONS["cancelled"] == frozenset()


def test_a_patient_may_be_marked_arrived_up_to_the_early_arrival_window_before_the_start() -> None:
    early = NINE - EARLY_ARRIVAL
    assert change_status(appointment(), "arrived", now=early).status == "arrived"
    with pytest.raises(FieldError, match="at most") as caught:
        change_status(appointment(), "arrived", now=early - timedelta(seconds=1))
    assert caught.value.field == "status"


def test_an_arrived_patient_is_seen_or_the_mark_is_undone_but_not_cancelled_or_missed() -> None:
    arrived = appointment(status="arrived")
    assert change_status(arrived, "completed", now=NINE).status == "completed"
    assert change_status(arrived, "scheduled", now=NINE).status == "scheduled"
    for target in ("cancelled", "no_show"):
        with pytest.raises(FieldError, match="cannot go from arrived"):
            change_status(arrived, target, now=NINE)  # type: ignore[arg-type]


def test_a_no_show_who_turns_up_late_is_marked_arrived() -> None:
    assert change_status(appointment(status="no_show"), "arrived", now=END).status == "arrived"


@pytest.mark.parametrize("kind", ["block", "empty_slot"])
def test_only_a_patient_appointment_can_have_someone_arrive(kind: str) -> None:
    with pytest.raises(FieldError, match=f"a {kind} cannot be arrived"):
        change_status(appointment(kind=kind, patient_id=None), "arrived", now=NINE)


def test_an_arrived_appointment_cannot_be_moved() -> None:
    arrived = appointment(status="arrived")
    later = draft_of(arrived, starts_at=NINE + timedelta(hours=1))
    with pytest.raises(ConflictError, match="arrived"):
        changed(arrived, later, later.starts_at + timedelta(minutes=45), now=NINE)


@pytest.mark.parametrize("reason", CANCELLATION_REASONS)
def test_a_cancellation_keeps_its_reason(reason: str) -> None:
    current = appointment()
    draft = draft_of(current, status="cancelled", cancellation_reason=reason)
    gone = changed(current, draft, END, now=NINE - timedelta(days=2))
    assert (gone.status, gone.cancellation_reason, gone.version) == ("cancelled", reason, 2)


def test_a_cancellation_without_a_reason_names_the_field() -> None:
    current = appointment()
    with pytest.raises(FieldError) as caught:
        changed(current, draft_of(current, status="cancelled"), END, now=NINE)
    assert caught.value.field == "cancellationReason"


def test_a_reason_is_refused_on_anything_not_cancelled() -> None:
    current = appointment()
    with pytest.raises(FieldError, match="only a cancelled") as caught:
        changed(current, draft_of(current, cancellation_reason="late"), END, now=NINE)
    assert caught.value.field == "cancellationReason"


def test_a_cancelled_appointments_reason_can_be_corrected() -> None:
    gone = appointment(status="cancelled", cancellation_reason="patient")
    corrected = changed(gone, draft_of(gone, cancellation_reason="late"), END, now=NINE)
    assert corrected.cancellation_reason == "late"


def test_cancelled_requires_and_keeps_the_reason() -> None:
    assert cancelled(appointment(), "late", now=NINE).cancellation_reason == "late"
    assert with_cancellation_reason(appointment(), None).cancellation_reason is None
