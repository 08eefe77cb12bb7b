"""Making and changing appointments: drafts, ends, moves, filling slots, versions, deletion."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from clinic_scheduling.domain.appointments import (
    Appointment,
    AppointmentDraft,
    cancelled,
    changed,
    check_deletable,
    ends_at_for,
    in_utc,
    is_rescheduled,
    new_appointment,
    new_empty_slot,
    next_version,
)
from clinic_shared.errors import ConflictError, FieldError

NINE = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
STARTED = NINE + timedelta(minutes=50)
PRACTITIONER = uuid.uuid4()
PATIENT = uuid.uuid4()


def draft(**changes: Any) -> AppointmentDraft:
    base = AppointmentDraft(
        practitioner_id=PRACTITIONER,
        patient_id=PATIENT,
        kind="appointment",
        type="follow_up",
        starts_at=NINE,
        ends_at=None,
        title="Knee",
        notes="Bring the MRI",
    )
    return replace(base, **changes)


def booked(**changes: Any) -> Appointment:
    return replace(new_appointment(draft(), NINE, NINE + timedelta(minutes=45)), **changes)


def test_in_utc_moves_both_times_to_utc() -> None:
    madrid = timezone(timedelta(hours=2))
    local = draft(
        starts_at=NINE.astimezone(madrid), ends_at=(NINE + timedelta(hours=1)).astimezone(madrid)
    )
    converted = in_utc(local)
    assert (converted.starts_at.tzinfo, converted.ends_at and converted.ends_at.tzinfo) == (
        UTC,
        UTC,
    )
    assert (converted.starts_at, converted.ends_at) == (NINE, NINE + timedelta(hours=1))


def test_in_utc_leaves_a_naive_time_for_check_times_to_name() -> None:
    naive = draft(starts_at=NINE.replace(tzinfo=None))
    assert in_utc(naive) is naive


def test_the_end_defaults_to_the_type_duration() -> None:
    assert ends_at_for(draft(), timedelta(minutes=45)) == NINE + timedelta(minutes=45)
    given = NINE + timedelta(minutes=30)
    assert ends_at_for(draft(ends_at=given), timedelta(minutes=45)) == given


@pytest.mark.parametrize(
    ("changes", "duration", "field"),
    [
        ({"type": None}, None, "type"),  # an appointment needs a type
        ({"kind": "block", "patient_id": None, "type": None}, None, "endsAt"),
    ],
)
def test_an_end_that_cannot_be_worked_out_names_the_field(
    changes: dict[str, Any], duration: timedelta | None, field: str
) -> None:
    with pytest.raises(FieldError) as caught:
        ends_at_for(draft(**changes), duration)
    assert caught.value.field == field


def test_a_block_without_type_keeps_its_given_end() -> None:
    block = draft(kind="block", patient_id=None, type=None, ends_at=NINE + timedelta(hours=2))
    assert ends_at_for(block, None) == NINE + timedelta(hours=2)


def test_a_new_appointment_is_scheduled_at_version_one_with_the_draft_details() -> None:
    series = uuid.uuid4()
    made = new_appointment(draft(), NINE, NINE + timedelta(minutes=45), series_id=series)
    assert (made.status, made.version, made.series_id) == ("scheduled", 1, series)
    assert (made.practitioner_id, made.patient_id, made.type) == (
        PRACTITIONER,
        PATIENT,
        "follow_up",
    )
    assert (made.title, made.notes) == ("Knee", "Bring the MRI")
    assert made.id != new_appointment(draft(), NINE, NINE + timedelta(minutes=45)).id


def test_a_new_appointment_is_checked() -> None:
    with pytest.raises(FieldError, match="endsAt"):
        new_appointment(draft(), NINE, NINE)
    with pytest.raises(FieldError, match="patientId"):
        new_appointment(draft(patient_id=None), NINE, NINE + timedelta(minutes=45))


def test_an_empty_slot_has_no_patient_and_no_type() -> None:
    slot = new_empty_slot(PRACTITIONER, NINE, NINE + timedelta(minutes=45))
    assert (slot.kind, slot.patient_id, slot.type, slot.status) == (
        "empty_slot",
        None,
        None,
        "scheduled",
    )


def test_moving_bumps_the_version_and_counts_as_rescheduled() -> None:
    current = booked()
    later = NINE + timedelta(hours=1)
    moved = changed(current, draft(starts_at=later), later + timedelta(minutes=45), now=STARTED)
    assert (moved.id, moved.starts_at, moved.version) == (current.id, later, 2)
    assert is_rescheduled(current, moved)


def test_a_status_change_alone_is_not_a_rescheduling() -> None:
    current = booked()
    done = changed(current, draft(status="completed"), current.ends_at, now=STARTED)
    assert (done.status, done.version) == ("completed", 2)
    assert not is_rescheduled(current, done)


def test_filling_an_empty_slot_makes_it_an_appointment() -> None:
    slot = new_empty_slot(PRACTITIONER, NINE, NINE + timedelta(minutes=45))
    filled = changed(slot, draft(ends_at=slot.ends_at), slot.ends_at, now=STARTED)
    assert (filled.kind, filled.patient_id, filled.type) == ("appointment", PATIENT, "follow_up")


def test_an_empty_slot_without_a_patient_stays_empty() -> None:
    slot = new_empty_slot(PRACTITIONER, NINE, NINE + timedelta(minutes=45))
    retitled = changed(
        slot, draft(patient_id=None, type=None, title="Keep"), slot.ends_at, now=STARTED
    )
    assert (retitled.kind, retitled.title) == ("empty_slot", "Keep")


@pytest.mark.parametrize("status", ["completed", "no_show", "cancelled"])
def test_only_a_scheduled_appointment_can_be_moved(status: str) -> None:
    current = booked(status=status)
    later = NINE + timedelta(hours=1)
    with pytest.raises(ConflictError, match=f"a {status} appointment cannot be moved"):
        changed(
            current, draft(starts_at=later, status=status), later + timedelta(hours=1), now=STARTED
        )


def test_a_completed_appointment_can_still_be_retitled() -> None:
    current = booked(status="completed")
    renamed = changed(
        current, draft(status="completed", notes="Seen"), current.ends_at, now=STARTED
    )
    assert (renamed.notes, renamed.version) == ("Seen", 2)


def test_a_change_checks_times_and_patient() -> None:
    current = booked()
    with pytest.raises(FieldError, match="endsAt"):
        changed(current, draft(), NINE - timedelta(minutes=5), now=STARTED)
    with pytest.raises(FieldError, match="patientId"):
        changed(current, draft(patient_id=None), current.ends_at, now=STARTED)


def test_next_version_and_cancelled() -> None:
    current = booked(version=4)
    assert next_version(current).version == 5
    gone = cancelled(current, "clinic", now=NINE - timedelta(days=1))  # cancelling never waits
    assert (gone.status, gone.version, gone.cancellation_reason) == ("cancelled", 5, "clinic")


@pytest.mark.parametrize("status", ["scheduled", "cancelled", "no_show"])
def test_anything_but_a_completed_appointment_can_be_deleted(status: str) -> None:
    check_deletable(booked(status=status))


def test_a_completed_appointment_cannot_be_deleted() -> None:
    with pytest.raises(ConflictError, match="completed"):
        check_deletable(booked(status="completed"))
