"""Status transitions, time checks and the overlap rules."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clinic_scheduling.domain.appointments import (
    Appointment,
    change_status,
    check_patient,
    check_times,
    clashes,
    overlaps,
)
from clinic_shared.errors import FieldError

NINE = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
STARTED = NINE + timedelta(minutes=50)  # the clock once the 09:00 visit has begun
PRACTITIONER = uuid.uuid4()
PATIENT = uuid.uuid4()


def appointment(start: datetime = NINE, minutes: int = 45, **changes: object) -> Appointment:
    base = Appointment(
        id=uuid.uuid4(),
        practitioner_id=PRACTITIONER,
        patient_id=PATIENT,
        kind="appointment",
        type="follow_up",
        status="scheduled",
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_back_to_back_intervals_do_not_overlap() -> None:
    end = NINE + timedelta(minutes=45)
    assert not overlaps(NINE, end, end, end + timedelta(minutes=30))
    assert overlaps(NINE, end, end - timedelta(minutes=1), end + timedelta(minutes=30))


def test_same_practitioner_clashes_even_with_another_patient() -> None:
    booked = appointment()
    candidate = appointment(NINE + timedelta(minutes=30), patient_id=uuid.uuid4())
    assert clashes(candidate, [booked]) == [booked]


def test_same_patient_clashes_with_another_practitioner() -> None:
    booked = appointment()
    candidate = appointment(NINE + timedelta(minutes=15), practitioner_id=uuid.uuid4())
    assert clashes(candidate, [booked]) == [booked]


def test_others_overlapping_do_not_clash() -> None:
    other = appointment(practitioner_id=uuid.uuid4(), patient_id=uuid.uuid4())
    assert clashes(appointment(), [other]) == []


def test_cancelled_appointments_free_their_time() -> None:
    assert clashes(appointment(), [appointment(status="cancelled")]) == []
    assert clashes(appointment(status="cancelled"), [appointment()]) == []


def test_empty_slots_and_blocks_are_taken_for_others() -> None:
    slot = appointment(kind="empty_slot", patient_id=None)
    block = appointment(kind="block", patient_id=None)
    assert clashes(appointment(), [slot, block]) == [slot, block]


def test_an_appointment_does_not_clash_with_itself() -> None:
    booked = appointment()
    assert clashes(replace(booked, notes="moved"), [booked]) == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (NINE, NINE, "endsAt"),
        (NINE, NINE - timedelta(hours=1), "endsAt"),
        (NINE, NINE + timedelta(minutes=1), "endsAt"),
        (NINE, NINE + timedelta(hours=13), "endsAt"),
        (NINE.replace(tzinfo=None), NINE + timedelta(hours=1), "startsAt"),
    ],
)
def test_bad_times_name_the_field(start: datetime, end: datetime, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        check_times(start, end)
    assert caught.value.field == field


def test_patient_rules_per_kind() -> None:
    with pytest.raises(FieldError, match="patientId"):
        check_patient("appointment", None)
    with pytest.raises(FieldError, match="patientId"):
        check_patient("block", PATIENT)
    check_patient("empty_slot", None)
    check_patient("empty_slot", PATIENT)


@pytest.mark.parametrize("target", ["completed", "cancelled", "no_show"])
def test_scheduled_can_end_any_way_once_started(target: str) -> None:
    changed = change_status(appointment(), target, now=STARTED)  # type: ignore[arg-type]
    assert changed.status == target


@pytest.mark.parametrize("now", [NINE, NINE + timedelta(minutes=10), NINE + timedelta(days=30)])
def test_a_visit_can_be_completed_from_its_start_on(now: datetime) -> None:
    assert change_status(appointment(), "completed", now=now).status == "completed"


@pytest.mark.parametrize("target", ["completed", "no_show"])
def test_a_future_visit_cannot_be_completed_or_missed(target: str) -> None:
    just_before = NINE - timedelta(seconds=1)
    with pytest.raises(FieldError) as caught:
        change_status(appointment(), target, now=just_before)  # type: ignore[arg-type]
    assert caught.value.field == "status"
    assert "only once it has started" in caught.value.message


def test_a_future_visit_can_be_cancelled() -> None:
    cancelled = change_status(appointment(), "cancelled", now=NINE - timedelta(days=30))
    assert cancelled.status == "cancelled"


def test_no_show_can_be_undone_but_completed_and_cancelled_are_final() -> None:
    undone = change_status(appointment(status="no_show"), "scheduled", now=STARTED)
    assert undone.status == "scheduled"
    for final in ("completed", "cancelled"):
        with pytest.raises(FieldError, match="status"):
            change_status(appointment(status=final), "scheduled", now=STARTED)  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="status"):
        change_status(appointment(status="no_show"), "completed", now=STARTED)


def test_a_block_cannot_be_completed() -> None:
    with pytest.raises(FieldError, match="block"):
        change_status(appointment(kind="block", patient_id=None), "completed", now=STARTED)
