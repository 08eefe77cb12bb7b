"""Scheduling knows staff and patients only from events, and its calendar follows their changes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx

from e2e_helpers import login


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _next_weekday_at_ten_utc() -> str:
    day = datetime.now(UTC).date() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC).isoformat()


def _past_weekday_at_ten_utc() -> datetime:
    """A visit recorded after the fact: only one that has started can be completed.

    10:00 UTC is 11:00 or 12:00 in Madrid, inside the working hours all year round.
    """
    day = datetime.now(UTC).date() - timedelta(days=14)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def test_book_then_rename_patient_and_the_calendar_shows_the_new_name(
    gateway: httpx.Client,
) -> None:
    auth = bearer(login(gateway, "recepcion@demo.clinic"))
    practitioners = gateway.get("/api/practitioners", headers=auth).json()["member"]
    laura = next(p for p in practitioners if p["fullName"] == "Laura Martínez")
    found = gateway.get("/api/patients", headers=auth, params={"search": "jose garcia nunez"})
    patient = found.json()["member"][0]

    booked = gateway.post(
        "/api/appointments",
        headers=auth,
        json={
            "practitionerId": laura["id"],
            "patientId": patient["id"],
            "type": "follow_up",
            "startsAt": _next_weekday_at_ten_utc(),
        },
    )
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    assert appointment["patientName"] == "José García Núñez"
    assert appointment["practitionerName"] == "Laura Martínez"

    clash = gateway.post(
        "/api/appointments",
        headers=auth,
        json={
            "practitionerId": laura["id"],
            "type": "dry_needling",
            "kind": "block",
            "startsAt": appointment["startsAt"],
        },
    )
    assert clash.status_code == 409

    current = gateway.get(f"/api/patients/{patient['id']}", headers=auth)
    body = {
        k: v
        for k, v in current.json().items()
        if k
        not in {"id", "fullName", "lastVisitAt", "nextAppointmentAt", "createdAt", "updatedAt"}
        | {"version", "possibleDuplicates", "phoneDisplay", "emergencyContactPhoneDisplay"}
    }
    renamed = gateway.put(
        f"/api/patients/{patient['id']}",
        headers={**auth, "If-Match": current.headers["etag"]},
        json=body | {"firstName": "Josep"},
    )
    assert renamed.status_code == 200, renamed.text

    deadline = time.monotonic() + 2.0
    name = None
    while time.monotonic() < deadline:
        name = gateway.get(f"/api/appointments/{appointment['id']}", headers=auth).json()[
            "patientName"
        ]
        if name == "Josep García Núñez":
            break
        time.sleep(0.1)
    assert name == "Josep García Núñez"


def test_a_completed_appointment_becomes_the_patients_last_visit(gateway: httpx.Client) -> None:
    auth = bearer(login(gateway, "recepcion@demo.clinic"))
    practitioners = gateway.get("/api/practitioners", headers=auth).json()["member"]
    laura = next(p for p in practitioners if p["fullName"] == "Laura Martínez")
    # By surnames: the test above may have renamed José to Josep.
    found = gateway.get("/api/patients", headers=auth, params={"search": "garcia nunez"})
    patient = found.json()["member"][0]

    def book_and_complete(starts_at: datetime) -> httpx.Response:
        booked = gateway.post(
            "/api/appointments",
            headers=auth,
            json={
                "practitionerId": laura["id"],
                "patientId": patient["id"],
                "type": "follow_up",
                "startsAt": starts_at.isoformat(),
            },
        )
        assert booked.status_code == 201, booked.text
        appointment = booked.json()
        return gateway.put(
            f"/api/appointments/{appointment['id']}",
            headers={**auth, "If-Match": booked.headers["etag"]},
            json={
                "practitionerId": laura["id"],
                "patientId": patient["id"],
                "type": "follow_up",
                "status": "completed",
                "startsAt": appointment["startsAt"],
                "endsAt": appointment["endsAt"],
            },
        )

    # A visit that has not happened yet cannot be the last one (12:00 or 13:00 in Madrid).
    future = datetime.fromisoformat(_next_weekday_at_ten_utc()) + timedelta(days=7, hours=1)
    refused = book_and_complete(future)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["status"]

    starts_at = _past_weekday_at_ten_utc()
    completed = book_and_complete(starts_at)
    assert completed.status_code == 200, completed.text

    deadline = time.monotonic() + 2.0
    last_visit = None
    while time.monotonic() < deadline:
        last_visit = gateway.get(f"/api/patients/{patient['id']}", headers=auth).json()[
            "lastVisitAt"
        ]
        if last_visit is not None:
            break
        time.sleep(0.1)
    assert last_visit is not None
    assert datetime.fromisoformat(last_visit) == starts_at
