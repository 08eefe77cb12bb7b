"""Consumer contract: identity's and patients' documented examples fill the read models."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from clinic_scheduling.infrastructure.tables import patients, practitioners, working_periods
from clinic_shared.contracts import example_envelope

pytestmark = pytest.mark.integration


def _row(api: Any, table: Any, row_id: str) -> Any:
    with api._session() as session:
        return session.execute(select(table).where(table.c.id == row_id)).first()


def _periods(api: Any, practitioner_id: str) -> list[Any]:
    with api._session() as session:
        query = select(working_periods).where(working_periods.c.practitioner_id == practitioner_id)
        return list(session.execute(query).all())


@pytest.mark.parametrize("event_type", ["user.registered", "user.updated", "user.deactivated"])
def test_user_examples_upsert_the_practitioner(api: Any, event_type: str) -> None:
    envelope = example_envelope(event_type)
    api.apply(envelope)
    api.apply(envelope)  # any event carries the full state: applying twice is harmless
    row = _row(api, practitioners, envelope.data["userId"])
    assert row.full_name == envelope.data["fullName"]
    assert row.color == envelope.data["color"]
    assert row.active is envelope.data["active"]
    assert row.is_practitioner is True


def test_a_new_practitioner_gets_the_clinic_hours(api: Any) -> None:
    practitioner = api.practitioner()
    assert len(_periods(api, practitioner)) == 10  # Monday–Friday, morning and afternoon
    receptionist = api.practitioner(roles=["ROLE_RECEPTIONIST"], color=None)
    assert _row(api, practitioners, receptionist).is_practitioner is False
    assert _periods(api, receptionist) == []


def test_a_user_promoted_to_practitioner_gets_the_clinic_hours(api: Any) -> None:
    receptionist = api.practitioner(roles=["ROLE_RECEPTIONIST"])
    promoted = api.user_event(
        "user.updated", userId=receptionist, roles=["ROLE_RECEPTIONIST", "ROLE_PRACTITIONER"]
    )
    api.apply(promoted)
    assert _row(api, practitioners, receptionist).is_practitioner is True
    periods = sorted(_periods(api, receptionist), key=lambda p: (p.weekday, p.start_time))
    assert len(periods) == 10
    assert (periods[0].weekday, str(periods[0].start_time), str(periods[0].end_time)) == (
        0,
        "09:00:00",
        "14:00:00",
    )
    url = f"/api/practitioners/{receptionist}/working-hours"
    assert api.get(url).json()["periods"][1] == {
        "weekday": 0,
        "start": "15:00:00",
        "end": "19:00:00",
    }


def test_a_practitioner_keeps_the_hours_the_front_desk_set(api: Any) -> None:
    practitioner = api.practitioner(fullName="Ana Gil")
    assert api.put_hours(practitioner, {"periods": []}).status_code == 200
    renamed = api.user_event("user.updated", userId=practitioner, fullName="Ana Gil Soto")
    api.apply(renamed)
    api.apply(renamed)
    assert _periods(api, practitioner) == []  # only a promotion brings the defaults
    set_hours = {"periods": [{"weekday": 2, "start": "10:00", "end": "12:00"}]}
    assert api.put_hours(practitioner, set_hours).status_code == 200
    for roles in (["ROLE_RECEPTIONIST"], ["ROLE_PRACTITIONER"]):  # demoted, then promoted
        api.apply(api.user_event("user.updated", userId=practitioner, roles=roles))
    assert [p.weekday for p in _periods(api, practitioner)] == [2]


@pytest.mark.parametrize(
    "event_type",
    ["patient.registered", "patient.updated", "patient.deactivated", "patient.reactivated"],
)
def test_patient_examples_upsert_the_patient(api: Any, event_type: str) -> None:
    envelope = example_envelope(event_type)
    api.apply(envelope)
    row = _row(api, patients, envelope.data["patientId"])
    assert row.full_name == envelope.data["fullName"]
    assert row.phone == envelope.data["phone"]
    assert row.status == envelope.data["status"]
