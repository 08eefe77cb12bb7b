"""The edges of appointments that mutation testing found untested (docs/testing.md): ids read
back as other objects, a clash after one that does not count, the exact duration bounds, the
messages' fields, values that cannot be changed."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from clinic_scheduling.domain.appointments import (
    Appointment,
    AppointmentDraft,
    change_status,
    changed,
    check_deletable,
    check_patient,
    check_times,
    clashes,
    ends_at_for,
)
from clinic_shared.errors import ConflictError, FieldError

NINE = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def _appointment(**changes: object) -> Appointment:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "practitioner_id": uuid.uuid4(),
        "patient_id": uuid.uuid4(),
        "kind": "appointment",
        "type": "follow_up",
        "status": "scheduled",
        "starts_at": NINE,
        "ends_at": NINE + timedelta(minutes=45),
    }
    values.update(changes)
    return Appointment(**values)  # type: ignore[arg-type]


def _copy(value: UUID | None) -> UUID | None:
    """An equal id that is another object (as read back from the database)."""
    return None if value is None else UUID(str(value))


def test_ids_read_back_from_storage_compare_by_value() -> None:
    candidate = _appointment()
    itself = dataclasses.replace(candidate, id=_copy(candidate.id))
    same_practitioner = _appointment(practitioner_id=_copy(candidate.practitioner_id))
    same_patient = _appointment(patient_id=_copy(candidate.patient_id))
    assert clashes(candidate, [itself, same_practitioner, same_patient]) == [
        same_practitioner,
        same_patient,
    ]


def test_a_clash_after_one_that_does_not_count_is_still_found() -> None:
    candidate = _appointment()
    cancelled = _appointment(practitioner_id=candidate.practitioner_id, status="cancelled")
    elsewhere_in_time = _appointment(
        practitioner_id=candidate.practitioner_id,
        starts_at=NINE + timedelta(hours=2),
        ends_at=NINE + timedelta(hours=3),
    )
    taken = _appointment(practitioner_id=candidate.practitioner_id)
    assert clashes(candidate, [cancelled, elsewhere_in_time, taken]) == [taken]


def test_only_the_same_practitioner_or_patient_clashes_not_a_greater_id() -> None:
    low = UUID(int=1)
    candidate = _appointment(practitioner_id=low, patient_id=UUID(int=2))
    others = [
        _appointment(practitioner_id=UUID(int=3), patient_id=UUID(int=4)),
        _appointment(practitioner_id=UUID(int=3), patient_id=None, kind="block"),
    ]
    assert clashes(candidate, others) == []


@pytest.mark.parametrize("minutes", [5, 12 * 60])
def test_five_minutes_and_twelve_hours_are_the_bounds(minutes: int) -> None:
    check_times(NINE, NINE + timedelta(minutes=minutes))


@pytest.mark.parametrize("length", [timedelta(minutes=4), timedelta(hours=12, minutes=1)])
def test_just_outside_the_bounds_is_refused(length: timedelta) -> None:
    with pytest.raises(FieldError) as caught:
        check_times(NINE, NINE + length)
    assert caught.value.field == "endsAt"


@pytest.mark.parametrize("end", [NINE, NINE - timedelta(minutes=30)])
def test_an_end_at_or_before_the_start_says_so(end: datetime) -> None:
    with pytest.raises(FieldError, match="must be after startsAt"):
        check_times(NINE, end)


def test_an_appointment_cannot_be_changed_after_the_fact() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _appointment().status = "cancelled"  # type: ignore[misc]


def _read_back(text: str) -> str:
    """An equal string that is another object, as a value read from the database or JSON is
    (``"scheduled" is "scheduled"`` holds for literals only)."""
    return "".join(list(text))


def test_statuses_and_kinds_read_back_compare_by_value() -> None:
    now = NINE + timedelta(days=1)
    booked = _appointment(status=_read_back("scheduled"), kind=_read_back("appointment"))
    assert change_status(booked, "scheduled", now=now) is booked
    assert _appointment(status=_read_back("cancelled")).occupies_time is False
    completed = _appointment(status=_read_back("completed"))
    with pytest.raises(ConflictError):
        check_deletable(completed)
    block = _appointment(kind=_read_back("block"), patient_id=None, type=None)
    with pytest.raises(FieldError, match="a block cannot be completed"):
        change_status(block, "completed", now=now)
    with pytest.raises(FieldError, match="a block has no patient"):
        check_patient(_read_back("block"), uuid.uuid4())
    with pytest.raises(FieldError, match="needs a patient"):
        check_patient(_read_back("appointment"), None)
    draft = AppointmentDraft(
        uuid.uuid4(), uuid.uuid4(), _read_back("appointment"), None, NINE, None
    )
    with pytest.raises(FieldError, match="needs a type"):
        ends_at_for(draft, None)


def test_a_completed_visit_read_back_cannot_be_moved() -> None:
    current = _appointment(status=_read_back("completed"))
    draft = AppointmentDraft(
        current.practitioner_id,
        current.patient_id,
        "appointment",
        "follow_up",
        NINE + timedelta(hours=1),
        None,
        status="completed",
    )
    with pytest.raises(ConflictError):
        changed(current, draft, NINE + timedelta(hours=2), now=NINE + timedelta(days=1))


def test_a_block_given_a_patient_stays_a_block_and_is_refused() -> None:
    block = _appointment(kind="block", patient_id=None, type=None)
    draft = AppointmentDraft(
        block.practitioner_id, uuid.uuid4(), "block", None, block.starts_at, block.ends_at
    )
    with pytest.raises(FieldError, match="a block has no patient"):
        changed(block, draft, block.ends_at, now=NINE)


def test_a_draft_does_not_allow_outside_hours_unless_it_says_so() -> None:
    draft = AppointmentDraft(uuid.uuid4(), uuid.uuid4(), "appointment", "x", NINE, None)
    assert draft.allow_outside_hours is False


def test_appointments_read_back_can_be_completed_moved_and_filled() -> None:
    later = NINE + timedelta(days=1)
    visit = _appointment(kind=_read_back("appointment"), status=_read_back("scheduled"))
    assert change_status(visit, "completed", now=later).status == "completed"
    draft = AppointmentDraft(
        visit.practitioner_id,
        visit.patient_id,
        "appointment",
        "follow_up",
        NINE + timedelta(hours=1),
        None,
    )
    moved = changed(visit, draft, NINE + timedelta(hours=2), now=NINE)
    assert moved.starts_at == NINE + timedelta(hours=1)
    slot = _appointment(kind=_read_back("empty_slot"), patient_id=None, type=None)
    fill = dataclasses.replace(draft, patient_id=uuid.uuid4(), starts_at=slot.starts_at)
    assert changed(slot, fill, slot.ends_at, now=NINE).kind == "appointment"
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.kind = "block"  # type: ignore[misc]
