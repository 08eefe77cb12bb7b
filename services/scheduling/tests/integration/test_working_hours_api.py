"""Working hours, absences and free slots through the API, in Madrid time across DST."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

MORNINGS = {"periods": [{"weekday": d, "start": "09:00", "end": "11:00"} for d in range(5)]}


def test_a_new_practitioner_has_the_clinic_hours(api: Any) -> None:
    practitioner = api.practitioner()
    response = api.get(f"/api/practitioners/{practitioner}/working-hours")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timeZone"] == "Europe/Madrid"
    assert body["periods"][:2] == [
        {"weekday": 0, "start": "09:00:00", "end": "14:00:00"},
        {"weekday": 0, "start": "15:00:00", "end": "19:00:00"},
    ]
    assert len(body["periods"]) == 10


def test_free_slots_follow_madrid_time_across_the_dst_change(api: Any) -> None:
    practitioner = api.practitioner()
    assert api.put_hours(practitioner, MORNINGS).status_code == 200
    api.booked(
        practitionerId=practitioner,
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-29T09:00:00+02:00",
    )
    response = api.get(
        "/api/appointments/free-slots",
        practitionerId=practitioner,
        **{"from": "2027-03-26", "to": "2027-03-29"},
        duration=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["member"] == [
        {"startsAt": "2027-03-26T08:00:00Z", "endsAt": "2027-03-26T09:00:00Z"},
        {"startsAt": "2027-03-26T09:00:00Z", "endsAt": "2027-03-26T10:00:00Z"},
        # Monday 29th (summer time): 09:00–10:00 is booked, 10:00–11:00 is free.
        {"startsAt": "2027-03-29T08:00:00Z", "endsAt": "2027-03-29T09:00:00Z"},
    ]


def test_absences_remove_free_slots_until_deleted(api: Any) -> None:
    practitioner = api.practitioner()
    base = f"/api/practitioners/{practitioner}"
    assert api.put_hours(practitioner, MORNINGS).status_code == 200
    absence = api.client.post(
        f"{base}/absences",
        json={"startsAt": "2027-03-29T00:00:00+02:00", "endsAt": "2027-03-30T00:00:00+02:00"},
        headers=api.headers,
    )
    assert absence.status_code == 201, absence.text
    params = {"practitionerId": practitioner, "from": "2027-03-29", "to": "2027-03-29"}
    assert api.get("/api/appointments/free-slots", **params).json()["member"] == []
    deleted = api.client.delete(f"{base}/absences/{absence.json()['id']}", headers=api.headers)
    assert deleted.status_code == 204
    assert len(api.get("/api/appointments/free-slots", **params).json()["member"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2027-03-29", "to": "2027-03-28"}, "to"),
        ({"from": "2027-03-01", "to": "2027-06-01"}, "to"),
        ({"from": "2027-03-29", "to": "2027-03-29", "duration": 0}, "duration"),
        ({"from": "2027-03-29", "to": "2027-03-29", "duration": 10_000}, "duration"),
    ],
)
def test_bad_free_slot_queries_name_the_field(api: Any, params: dict[str, Any], field: str) -> None:
    response = api.get("/api/appointments/free-slots", practitionerId=api.practitioner(), **params)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


def test_overlapping_periods_and_unknown_practitioners_are_refused(api: Any) -> None:
    practitioner = api.practitioner()
    clash = {
        "periods": [
            {"weekday": 0, "start": "09:00", "end": "14:00"},
            {"weekday": 0, "start": "13:00", "end": "15:00"},
        ]
    }
    url = f"/api/practitioners/{practitioner}/working-hours"
    assert api.put_hours(practitioner, clash).status_code == 422
    assert len(api.get(url).json()["periods"]) == 10
    unknown = "/api/practitioners/00000000-0000-4000-8000-000000000000/working-hours"
    assert api.get(unknown).status_code == 404
    slots = api.get(
        "/api/appointments/free-slots",
        practitionerId="00000000-0000-4000-8000-000000000000",
        **{"from": "2027-03-29", "to": "2027-03-29"},
    )
    assert slots.status_code == 422


def test_empty_slots_cover_the_free_hours_and_are_taken_until_filled(api: Any) -> None:
    practitioner = api.practitioner()
    assert api.put_hours(practitioner, MORNINGS).status_code == 200
    api.booked(
        practitionerId=practitioner,
        patientId=api.patient(),
        type="dry_needling",
        startsAt="2027-03-29T10:00:00+02:00",
    )
    body = {
        "practitionerId": practitioner,
        "from": "2027-03-29",
        "to": "2027-03-29",
        "duration": 30,
    }
    response = api.client.post("/api/appointments/empty-slots", json=body, headers=api.headers)
    assert response.status_code == 201, response.text
    created = response.json()["member"]
    assert [(s["kind"], s["startsAt"]) for s in created] == [
        ("empty_slot", "2027-03-29T07:00:00Z"),
        ("empty_slot", "2027-03-29T07:30:00Z"),
        ("empty_slot", "2027-03-29T08:30:00Z"),
    ]
    params = {"practitionerId": practitioner, "from": "2027-03-29", "to": "2027-03-29"}
    assert api.get("/api/appointments/free-slots", **params, duration=30).json()["member"] == []
    again = api.client.post("/api/appointments/empty-slots", json=body, headers=api.headers)
    assert again.json()["member"] == []


def test_the_week_grid_places_everything_in_local_time(api: Any) -> None:
    practitioner = api.practitioner()
    booked = api.booked(
        practitionerId=practitioner,
        patientId=api.patient(fullName="Rosa Gil"),
        type="follow_up",
        startsAt="2027-03-29T09:00:00+02:00",
    )
    response = api.get("/api/schedule/week", practitionerId=practitioner, weekStart="2027-03-29")
    assert response.status_code == 200, response.text
    monday = response.json()["days"][0]
    assert monday["date"] == "2027-03-29"
    assert monday["workingHours"][0] == {
        "startsAt": "2027-03-29T09:00:00+02:00",
        "endsAt": "2027-03-29T14:00:00+02:00",
    }
    assert [a["id"] for a in monday["appointments"]] == [booked["id"]]
    assert monday["appointments"][0]["startsAt"] == "2027-03-29T09:00:00+02:00"
    assert monday["appointments"][0]["patientName"] == "Rosa Gil"
    assert monday["freeSlots"][0]["startsAt"] == "2027-03-29T09:45:00+02:00"
    not_monday = api.get("/api/schedule/week", practitionerId=practitioner, weekStart="2027-03-30")
    assert not_monday.status_code == 422
