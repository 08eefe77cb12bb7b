"""Issue 11 (input side): edge dates, working hours like every PUT, offsets, text, no-store."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.integration

MORNINGS = {"periods": [{"weekday": d, "start": "09:00", "end": "11:00"} for d in range(5)]}
EDGE_DATES = ["0001-01-01", "9999-12-31"]


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"] for error in response.json()["errors"]}


# --- finding 1: year 1 and 9999 are 422 naming the field, never 500 -------------------------


@pytest.mark.parametrize("day", EDGE_DATES)
def test_edge_dates_in_queries_are_422(api: Any, day: str) -> None:
    practitioner = api.practitioner()
    moment = f"{day}T00:00:00"
    assert _fields(api.get("/api/appointments", start=moment, end=moment)) >= {"start"}
    assert _fields(api.get("/api/appointments", after=f"{day}T12:00:00Z")) == {"after"}
    slots = api.get(
        "/api/appointments/free-slots", practitionerId=practitioner, **{"from": day, "to": day}
    )
    assert _fields(slots) == {"from", "to"}
    week = api.get("/api/schedule/week", practitionerId=practitioner, weekStart=day)
    assert _fields(week) == {"weekStart"}


@pytest.mark.parametrize(
    "starts_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "9999-12-31T23:00Z"]
)
def test_edge_dates_in_a_booking_are_422(api: Any, starts_at: str) -> None:
    response = api.book(
        practitionerId=api.practitioner(),
        patientId=api.patient(),
        type="first_visit",
        startsAt=starts_at,
    )
    assert _fields(response) == {"startsAt"}


@pytest.mark.parametrize("day", EDGE_DATES)
def test_edge_dates_of_empty_slots_are_422(api: Any, day: str) -> None:
    body = {"practitionerId": api.practitioner(), "from": day, "to": day, "duration": 30}
    response = api.client.post("/api/appointments/empty-slots", json=body, headers=api.headers)
    assert _fields(response) == {"from", "to"}


def test_an_absence_in_year_9999_is_422(api: Any) -> None:
    url = f"/api/practitioners/{api.practitioner()}/absences"
    body = {"startsAt": "9999-12-31T00:00:00+02:00", "endsAt": "9999-12-31T23:00:00+02:00"}
    response = api.client.post(url, json=body, headers=api.headers)
    assert _fields(response) == {"startsAt", "endsAt"}


# --- finding 11: times in bodies need an offset; query parameters keep the clinic's zone -----


def test_a_booking_without_an_offset_is_422(api: Any) -> None:
    response = api.book(
        practitionerId=api.practitioner(),
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-29T09:00:00",
    )
    assert _fields(response) == {"startsAt"}


def test_an_absence_without_an_offset_is_422(api: Any) -> None:
    url = f"/api/practitioners/{api.practitioner()}/absences"
    body = {"startsAt": "2027-03-29T00:00:00", "endsAt": "2027-03-30T00:00:00+02:00"}
    assert _fields(api.client.post(url, json=body, headers=api.headers)) == {"startsAt"}


def test_query_moments_without_an_offset_are_the_clinics_local_time(api: Any) -> None:
    practitioner = api.practitioner()
    booked = api.booked(
        practitionerId=practitioner,
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-29T09:00:00+02:00",
    )
    found = api.get(
        "/api/appointments",
        start="2027-03-29T09:00:00",
        end="2027-03-29T10:00:00",
        practitionerId=practitioner,
    )
    assert [a["id"] for a in found.json()["member"]] == [booked["id"]]


# --- finding 6: working hours are a PUT like every other ------------------------------------


def test_working_hours_carry_an_etag_and_need_if_match(api: Any) -> None:
    practitioner = api.practitioner()
    url = f"/api/practitioners/{practitioner}/working-hours"
    first = api.get(url)
    etag = first.headers["etag"]
    assert etag == '"0"'
    missing = api.put_hours(practitioner, MORNINGS, if_match=None)
    assert missing.status_code == 428, missing.text
    assert missing.headers["content-type"] == "application/problem+json"
    saved = api.put_hours(practitioner, MORNINGS, if_match=etag)
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"1"'
    # A second client still holding the first ETag is told the template changed.
    stale = api.put_hours(practitioner, {"periods": []}, if_match=etag)
    assert stale.status_code == 412, stale.text
    assert stale.json()["currentVersion"] == 1
    assert api.get(url).headers["etag"] == '"1"'
    assert len(api.get(url).json()["periods"]) == 5


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ({"weekday": 0, "start": "10:00+02:00", "end": "12:00"}, "periods.0.start"),
        ({"weekday": 0, "start": "10:00", "end": "12:00Z"}, "periods.0.end"),
        ({"weekday": 0, "start": "10:00", "end": "12:00", "break": "11:00"}, "periods.0.break"),
    ],
)
def test_working_hours_refuse_offsets_and_unknown_fields(
    api: Any, period: dict[str, Any], field: str
) -> None:
    practitioner = api.practitioner()
    assert _fields(api.put_hours(practitioner, {"periods": [period]})) == {field}


def test_working_hours_refuse_an_unknown_top_level_field(api: Any) -> None:
    response = api.put_hours(api.practitioner(), {**MORNINGS, "timeZone": "UTC"})
    assert _fields(response) == {"timeZone"}


# --- finding 5: text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Rev\u202eisión"}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "one\ntwo"}, "title"),
        ({"notes": "zero\u200bwidth"}, "notes"),
        ({"notes": "nul\x00"}, "notes"),
    ],
)
def test_invisible_characters_in_titles_and_notes_are_422(
    api: Any, changes: dict[str, str], field: str
) -> None:
    response = api.book(
        practitionerId=api.practitioner(),
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-29T09:00:00+02:00",
        **changes,
    )
    assert _fields(response) == {field}


def test_notes_keep_line_breaks_and_titles_keep_emoji(api: Any) -> None:
    booked = api.booked(
        practitionerId=api.practitioner(),
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-29T09:00:00+02:00",
        title="Revisión 🦵 rodilla",
        notes="Línea 1\nLínea 2\tcon tabulador",
    )
    assert booked["title"] == "Revisión 🦵 rodilla"
    assert booked["notes"] == "Línea 1\nLínea 2\tcon tabulador"


# --- findings 7, 10 and 12 on this service --------------------------------------------------


def test_answers_are_no_store_and_bodies_are_guarded(api: Any) -> None:
    assert api.get("/api/appointment-types").headers["cache-control"] == "no-store"
    practitioner = api.practitioner()
    twice = (
        f'{{"practitionerId": "{practitioner}", "type": "first_visit", "type": "dry_needling", '
        '"startsAt": "2027-03-29T09:00:00+02:00"}'
    )
    headers = {**api.headers, "Content-Type": "application/json"}
    response = api.client.post("/api/appointments", content=twice, headers=headers)
    assert _fields(response) == {"type"}
    huge = json.dumps({"practitionerId": practitioner, "notes": "x" * (1024 * 1024)})
    too_large = api.client.post("/api/appointments", content=huge, headers=headers)
    assert too_large.status_code == 413
    assert too_large.headers["content-type"] == "application/problem+json"
