"""On MariaDB: the arrived status, cancellation reasons, a patient's attendance, role figures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from clinic_scheduling.infrastructure.tables import appointments

pytestmark = pytest.mark.integration

MADRID = ZoneInfo("Europe/Madrid")
EVERY_DAY = {"periods": [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]}
KEYS = ("practitionerId", "patientId", "type", "startsAt", "endsAt")


def _at_ten(days: int) -> str:
    today = datetime.now(MADRID).date()
    return datetime.combine(today + timedelta(days=days), time(10), tzinfo=MADRID).isoformat()


def _practitioner(api: Any) -> str:
    practitioner = api.practitioner()
    assert api.put_hours(practitioner, EVERY_DAY).status_code == 200
    return practitioner


def _book(api: Any, practitioner: str, patient: str, days: int) -> dict[str, Any]:
    return api.booked(
        practitionerId=practitioner, patientId=patient, type="follow_up", startsAt=_at_ten(days)
    )


def _set(api: Any, booked: dict[str, Any], version: int = 1, **changes: Any) -> Any:
    return api.put(booked["id"], {**{k: booked[k] for k in KEYS}, **changes}, f'"{version}"')


def test_a_cancellation_keeps_its_reason_and_shows_it(api: Any) -> None:
    booked = _book(api, _practitioner(api), api.patient(), 3)
    unexplained = _set(api, booked, status="cancelled")
    assert unexplained.status_code == 422
    assert unexplained.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in unexplained.json()["errors"]] == ["cancellationReason"]
    wrong = _set(api, booked, status="cancelled", cancellationReason="weather")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "cancellationReason"

    done = _set(api, booked, status="cancelled", cancellationReason="late")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["cancellationReason"]) == ("cancelled", "late")
    fetched = api.get(f"/api/appointments/{booked['id']}").json()
    assert fetched["cancellationReason"] == "late"
    with api._session() as session:
        stored = session.execute(
            select(appointments.c.cancellation_reason).where(appointments.c.id == booked["id"])
        ).scalar_one()
    assert stored == "late"


def test_a_reason_on_an_appointment_that_is_not_cancelled_is_refused(api: Any) -> None:
    booked = _book(api, _practitioner(api), api.patient(), 3)
    refused = _set(api, booked, cancellationReason="patient")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "cancellationReason"
    assert api.get(f"/api/appointments/{booked['id']}").json()["version"] == 1


def test_arrived_then_completed_and_the_early_limit(api: Any) -> None:
    practitioner, patient = _practitioner(api), api.patient()
    now = datetime.now(UTC).replace(microsecond=0)
    soon = now + timedelta(minutes=30)
    booked = api.booked(
        practitionerId=practitioner,
        patientId=patient,
        type="follow_up",
        startsAt=soon.isoformat(),
        allowOutsideHours=True,  # whatever the hour the test runs at
    )
    arrived = _set(api, booked, status="arrived")
    assert arrived.status_code == 200, arrived.text
    assert arrived.json()["status"] == "arrived"
    listed = api.get(
        "/api/appointments", practitionerId=practitioner, status="arrived", itemsPerPage=5
    )
    assert [a["id"] for a in listed.json()["member"]] == [booked["id"]]
    # Not started yet: completing waits for the start, as before.
    early_done = _set(api, booked, version=2, status="completed")
    assert early_done.status_code == 422
    assert _set(api, booked, version=2, status="scheduled").status_code == 200

    tomorrow = _book(api, practitioner, patient, 1)
    too_early = _set(api, tomorrow, status="arrived")
    assert too_early.status_code == 422
    assert too_early.json()["errors"][0]["field"] == "status"


def test_an_arrived_appointment_cannot_be_cancelled_or_moved(api: Any) -> None:
    booked = _book(api, _practitioner(api), api.patient(), -1)
    assert _set(api, booked, status="arrived").status_code == 200
    cancel = _set(api, booked, version=2, status="cancelled", cancellationReason="clinic")
    assert cancel.status_code == 422
    moved = _set(api, booked, version=2, status="arrived", startsAt=_at_ten(-2), endsAt=None)
    assert moved.status_code in (409, 422)
    assert _set(api, booked, version=2, status="completed").status_code == 200


def test_attendance_counts_no_shows_and_late_cancellations_of_the_patient(api: Any) -> None:
    practitioner, patient, other = _practitioner(api), api.patient(), api.patient()
    for days in (-2, -3):
        assert (
            _set(api, _book(api, practitioner, patient, days), status="no_show").status_code == 200
        )
    for days, reason in ((4, "late"), (5, "patient"), (6, "clinic")):
        booked = _book(api, practitioner, patient, days)
        assert _set(api, booked, status="cancelled", cancellationReason=reason).status_code == 200
    undone = _book(api, practitioner, patient, -4)
    assert _set(api, undone, status="no_show").status_code == 200
    assert _set(api, undone, version=2, status="scheduled").status_code == 200  # a mistake
    assert _set(api, _book(api, practitioner, other, -5), status="no_show").status_code == 200

    response = api.get("/api/appointments/attendance", patientId=patient)
    assert response.status_code == 200, response.text
    assert response.json() == {"patientId": patient, "noShows": 2, "lateCancellations": 1}
    never = api.patient()
    assert api.get("/api/appointments/attendance", patientId=never).json()["noShows"] == 0
    bad = api.get("/api/appointments/attendance", patientId="nope")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "patientId"
    assert api.get("/api/appointments/attendance").status_code == 422


def test_a_practitioner_gets_their_own_figures_and_the_front_desk_the_clinics(
    api: Any, token_factory: Any
) -> None:
    mine, theirs, patient = _practitioner(api), _practitioner(api), api.patient()
    _set(api, _book(api, mine, patient, -1), status="no_show")
    _book(api, mine, patient, 0)
    _book(api, theirs, api.patient(), 0)
    _set(api, _book(api, theirs, api.patient(), -2), status="no_show")

    clinic = api.get("/stats").json()
    assert clinic["practitionerId"] is None
    assert (clinic["appointmentsToday"], clinic["noShows30d"]) == (2, 2)
    physio = {"Authorization": f"Bearer {token_factory(sub=mine, roles=['ROLE_PRACTITIONER'])}"}
    own = api.client.get("/stats", headers=physio).json()
    assert own["practitionerId"] == mine
    assert (own["appointmentsToday"], own["noShows30d"]) == (1, 1)
    assert own["noShowRate30d"] == 1.0
