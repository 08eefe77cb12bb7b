"""The appointments API on MariaDB: booking, defaults, names, ranges, edits and deletes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

MONDAY_NINE = "2027-03-29T09:00:00+02:00"
PAST_MONDAY_NINE = "2026-03-30T09:00:00+02:00"


def _booking(api: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "practitionerId": api.practitioner(fullName="Lucía Martín"),
        "patientId": api.patient(fullName="José García"),
        "type": "follow_up",
        "startsAt": MONDAY_NINE,
    }
    body.update(changes)
    return body


def test_booking_defaults_the_end_from_the_type_and_adds_names(api: Any) -> None:
    response = api.book(**_booking(api))
    assert response.status_code == 201, response.text
    booked = response.json()
    assert booked["startsAt"] == "2027-03-29T07:00:00Z"
    assert booked["endsAt"] == "2027-03-29T07:45:00Z"
    assert booked["practitionerName"] == "Lucía Martín"
    assert booked["patientName"] == "José García"
    assert booked["status"] == "scheduled"
    assert response.headers["ETag"] == '"1"'
    fetched = api.get(f"/api/appointments/{booked['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == booked


def test_the_calendar_range_returns_the_whole_range_filtered(api: Any) -> None:
    body = _booking(api)
    first = api.booked(**body)
    api.booked(**{**body, "startsAt": "2027-03-30T09:00:00+02:00"})
    other = api.booked(**_booking(api))
    response = api.get(
        "/api/appointments",
        start="2027-03-29T00:00:00+02:00",
        end="2027-03-30T00:00:00+02:00",
        practitionerId=body["practitionerId"],
    )
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()["member"]] == [first["id"]]
    everyone = api.get("/api/appointments", start="2027-03-29", end="2027-04-05")
    assert {first["id"], other["id"]} <= {m["id"] for m in everyone.json()["member"]}
    paged = api.get("/api/appointments", patientId=body["patientId"], itemsPerPage=1)
    assert len(paged.json()["member"]) == 1
    assert paged.json()["view"]["next"] is not None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-03-29T00:00:00Z", "end": "2027-06-29T00:00:00Z"}, "end"),
        ({"start": "2027-03-29T00:00:00Z", "end": "2027-03-28T00:00:00Z"}, "end"),
        ({"start": "2027-03-29T00:00:00Z"}, "end"),
    ],
)
def test_bad_ranges_name_the_field(api: Any, params: dict[str, str], field: str) -> None:
    response = api.get("/api/appointments", **params)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "astrology"}, "type"),
        ({"endsAt": "2027-03-29T08:00:00+02:00"}, "endsAt"),
        ({"endsAt": "2027-03-29T09:00:00+02:00"}, "endsAt"),
        ({"endsAt": "2027-03-30T09:00:00+02:00"}, "endsAt"),
        ({"practitionerId": "00000000-0000-4000-8000-000000000000"}, "practitionerId"),
        ({"patientId": "00000000-0000-4000-8000-000000000000"}, "patientId"),
        ({"patientId": None}, "patientId"),
        ({"patientId": "inactive"}, "patientId"),
        ({"practitionerId": "deactivated"}, "practitionerId"),
        ({"practitionerId": "receptionist"}, "practitionerId"),
    ],
)
def test_bad_bookings_are_422_naming_the_field(
    api: Any, changes: dict[str, Any], field: str
) -> None:
    if changes.get("patientId") == "inactive":
        changes["patientId"] = api.patient(status="inactive")
    if changes.get("practitionerId") == "deactivated":
        changes["practitionerId"] = api.practitioner(active=False)
    if changes.get("practitionerId") == "receptionist":
        changes["practitionerId"] = api.practitioner(roles=["ROLE_RECEPTIONIST"])
    body = _booking(api, **changes)
    response = api.book(**body)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    listed = api.get("/api/appointments", practitionerId=body["practitionerId"])
    assert listed.json()["member"] == []


def test_double_bookings_are_409_naming_the_clash(api: Any) -> None:
    body = _booking(api)
    booked = api.booked(**body)
    same_practitioner = api.book(
        **{**body, "patientId": api.patient(), "startsAt": "2027-03-29T09:30:00+02:00"}
    )
    assert same_practitioner.status_code == 409, same_practitioner.text
    clash = same_practitioner.json()["clashes"][0]
    assert clash == {
        "id": booked["id"],
        "startsAt": "2027-03-29T07:00:00Z",
        "endsAt": "2027-03-29T07:45:00Z",
        "practitionerId": body["practitionerId"],
        "patientId": body["patientId"],
        "kind": "appointment",
    }
    assert "(2027-03-29T07:00:00Z – 2027-03-29T07:45:00Z)" in same_practitioner.json()["detail"]
    same_patient = api.book(**{**body, "practitionerId": api.practitioner()})
    assert same_patient.status_code == 409
    back_to_back = api.book(**{**body, "startsAt": "2027-03-29T09:45:00+02:00"})
    assert back_to_back.status_code == 201


def test_edits_need_if_match_and_fail_when_stale(api: Any) -> None:
    booked = api.booked(**_booking(api))
    body = {
        "practitionerId": booked["practitionerId"],
        "patientId": booked["patientId"],
        "type": "follow_up",
        "startsAt": "2027-03-29T10:00:00+02:00",
        "endsAt": "2027-03-29T10:45:00+02:00",
    }
    assert api.put(booked["id"], body, None).status_code == 428
    moved = api.put(booked["id"], body, '"1"')
    assert moved.status_code == 200, moved.text
    assert moved.json()["startsAt"] == "2027-03-29T08:00:00Z"
    assert moved.headers["ETag"] == '"2"'
    assert api.put(booked["id"], body, '"1"').status_code == 412


def _status_change(booked: dict[str, Any], status: str) -> dict[str, Any]:
    keys = ("practitionerId", "patientId", "type", "startsAt", "endsAt")
    return {**{k: booked[k] for k in keys}, "status": status}


def test_completed_appointments_are_final_and_cannot_be_deleted(api: Any) -> None:
    # Recorded after the fact: booking in the past is allowed, and it has started.
    booked = api.booked(**_booking(api, startsAt=PAST_MONDAY_NINE))
    body = _status_change(booked, "completed")
    done = api.put(booked["id"], body, '"1"')
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    back = api.put(booked["id"], {**body, "status": "scheduled"}, '"2"')
    assert back.status_code == 422
    url = f"/api/appointments/{booked['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 409
    assert api.get(url).status_code == 200


@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_a_future_appointment_cannot_be_completed_or_missed(api: Any, status: str) -> None:
    booked = api.booked(**_booking(api))
    refused = api.put(booked["id"], _status_change(booked, status), '"1"')
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "only once it has started" in refused.json()["detail"]
    assert refused.json()["errors"] == [
        {
            "field": "status",
            "message": "an appointment can be marked completed or no-show only once it has started",
        }
    ]
    unchanged = api.get(f"/api/appointments/{booked['id']}")
    assert unchanged.json()["status"] == "scheduled"
    assert unchanged.headers["ETag"] == '"1"'
    cancel = {**_status_change(booked, "cancelled"), "cancellationReason": "patient"}
    cancelled = api.put(booked["id"], cancel, '"1"')
    assert cancelled.status_code == 200, cancelled.text


def test_moving_a_visit_into_the_past_and_completing_it_at_once(api: Any) -> None:
    booked = api.booked(**_booking(api))
    past = {**_status_change(booked, "completed"), "startsAt": PAST_MONDAY_NINE}
    past["endsAt"] = "2026-03-30T09:45:00+02:00"
    done = api.put(booked["id"], past, '"1"')
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["startsAt"]) == ("completed", "2026-03-30T07:00:00Z")


def test_cancelling_frees_the_time_and_deleting_removes(api: Any) -> None:
    body = _booking(api)
    booked = api.booked(**body)
    cancel = {**body, "endsAt": booked["endsAt"], "status": "cancelled"}
    cancel["cancellationReason"] = "clinic"
    assert api.put(booked["id"], cancel, '"1"').status_code == 200
    again = api.booked(**body)
    url = f"/api/appointments/{again['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 204
    assert api.get(url).status_code == 404


def test_an_empty_slot_is_taken_for_others_until_filled(api: Any) -> None:
    practitioner = api.practitioner()
    slot = api.booked(
        practitionerId=practitioner,
        kind="empty_slot",
        startsAt=MONDAY_NINE,
        endsAt="2027-03-29T09:45:00+02:00",
    )
    assert slot["patientId"] is None
    patient = api.patient()
    assert (
        api.book(
            practitionerId=practitioner, patientId=patient, type="follow_up", startsAt=MONDAY_NINE
        ).status_code
        == 409
    )
    filled = api.put(
        slot["id"],
        {
            "practitionerId": practitioner,
            "patientId": patient,
            "type": "follow_up",
            "startsAt": MONDAY_NINE,
            "endsAt": "2027-03-29T09:45:00+02:00",
        },
        '"1"',
    )
    assert filled.status_code == 200, filled.text
    assert filled.json()["kind"] == "appointment"
    assert filled.json()["patientId"] == patient


def test_appointment_types_are_seeded_and_admin_managed(api: Any) -> None:
    listed = api.get("/api/appointment-types").json()["member"]
    by_code = {t["code"]: t for t in listed}
    assert by_code["first_visit"]["nameEs"] == "Valoración inicial"
    assert by_code["first_visit"]["durationMinutes"] == 60
    assert {"follow_up", "dry_needling", "pelvic_floor", "sports_massage"} <= set(by_code)
    new = {
        "code": "hydro",
        "nameEs": "Hidroterapia",
        "nameEn": "Hydrotherapy",
        "durationMinutes": 40,
        "color": "#0EA5E9",
    }
    forbidden = api.client.post("/api/appointment-types", json=new, headers=api.headers)
    assert forbidden.status_code == 403
    created = api.client.post("/api/appointment-types", json=new, headers=api.admin)
    assert created.status_code == 201, created.text
    again = api.client.post("/api/appointment-types", json=new, headers=api.admin)
    assert again.status_code == 409
    update = {k: v for k, v in new.items() if k != "code"} | {"durationMinutes": 50}
    stale = api.client.put(
        "/api/appointment-types/hydro", json=update, headers={**api.admin, "If-Match": '"9"'}
    )
    assert stale.status_code == 412
    changed = api.client.put(
        "/api/appointment-types/hydro", json=update, headers={**api.admin, "If-Match": '"1"'}
    )
    assert changed.json()["durationMinutes"] == 50
    booked = api.booked(**_booking(api, type="hydro"))
    assert booked["endsAt"] == "2027-03-29T07:50:00Z"


def test_the_calendar_needs_a_staff_token(api: Any) -> None:
    assert api.client.get("/api/appointments").status_code == 401
    for role in ("ROLE_ADMIN", "ROLE_PRACTITIONER", "ROLE_RECEPTIONIST"):
        headers = {"Authorization": f"Bearer {api.tokens(roles=[role])}"}
        assert api.client.get("/api/appointments", headers=headers).status_code == 200
    stranger = {"Authorization": f"Bearer {api.tokens(roles=['ROLE_PATIENT'])}"}
    assert api.client.get("/api/appointments", headers=stranger).status_code == 403
