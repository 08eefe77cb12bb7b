"""Moving an appointment onto another is refused with 409 naming the clash (``booking.change``):
onto the practitioner's other appointment, onto the patient's appointment with someone else, or
to a practitioner who is busy then; the refused appointment is left as it was."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

NINE = "2027-03-29T09:00:00+02:00"  # 07:00Z
ELEVEN = "2027-03-29T11:00:00+02:00"
KEYS = ("practitionerId", "patientId", "type", "startsAt", "endsAt")


def _move(booked: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**{key: booked[key] for key in KEYS}, **changes}


def _assert_refused(api: Any, moved: dict[str, Any], body: dict[str, Any], clash_id: str) -> None:
    response = api.put(moved["id"], body, '"1"')
    assert response.status_code == 409, response.text
    assert [clash["id"] for clash in response.json()["clashes"]] == [clash_id]
    after = api.get(f"/api/appointments/{moved['id']}")
    assert after.headers["ETag"] == '"1"'
    assert {key: after.json()[key] for key in KEYS} == {key: moved[key] for key in KEYS}


def test_moving_onto_the_practitioners_other_appointment_is_409(api: Any) -> None:
    practitioner = api.practitioner()
    first = api.booked(
        practitionerId=practitioner, patientId=api.patient(), type="follow_up", startsAt=NINE
    )
    second = api.booked(
        practitionerId=practitioner, patientId=api.patient(), type="follow_up", startsAt=ELEVEN
    )
    # Overlapping by a quarter of an hour is as much a clash as the same start.
    onto = _move(second, startsAt="2027-03-29T09:30:00+02:00", endsAt="2027-03-29T10:15:00+02:00")
    _assert_refused(api, second, onto, first["id"])


def test_moving_onto_the_patients_appointment_with_someone_else_is_409(api: Any) -> None:
    patient = api.patient()
    first = api.booked(
        practitionerId=api.practitioner(), patientId=patient, type="follow_up", startsAt=NINE
    )
    second = api.booked(
        practitionerId=api.practitioner(), patientId=patient, type="follow_up", startsAt=ELEVEN
    )
    onto = _move(second, startsAt=first["startsAt"], endsAt=first["endsAt"])
    _assert_refused(api, second, onto, first["id"])


def test_handing_an_appointment_to_a_busy_practitioner_is_409(api: Any) -> None:
    busy = api.practitioner()
    taken = api.booked(
        practitionerId=busy, patientId=api.patient(), type="follow_up", startsAt=NINE
    )
    other = api.booked(
        practitionerId=api.practitioner(), patientId=api.patient(), type="follow_up", startsAt=NINE
    )
    _assert_refused(api, other, _move(other, practitionerId=busy), taken["id"])


def test_a_move_overlapping_only_its_own_old_time_is_allowed(api: Any) -> None:
    booked = api.booked(
        practitionerId=api.practitioner(), patientId=api.patient(), type="follow_up", startsAt=NINE
    )
    later = _move(booked, startsAt="2027-03-29T09:15:00+02:00", endsAt="2027-03-29T10:00:00+02:00")
    response = api.put(booked["id"], later, '"1"')
    assert response.status_code == 200, response.text
    assert response.json()["startsAt"] == "2027-03-29T07:15:00Z"
