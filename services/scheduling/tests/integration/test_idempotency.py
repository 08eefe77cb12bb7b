"""Idempotency-Key on booking: a retried POST after a dropped response books once."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

DAY = {"start": "2027-03-29T00:00:00Z", "end": "2027-04-10T00:00:00Z"}


def _post(api: Any, body: dict[str, Any], key: str) -> Any:
    headers = {**api.headers, "Idempotency-Key": key}
    return api.client.post("/api/appointments", json=body, headers=headers)


def _calendar(api: Any, practitioner: str) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = api.get(
        "/api/appointments", practitionerId=practitioner, **DAY
    ).json()["member"]
    return members


def test_a_retried_booking_books_once_and_answers_the_first_body(api: Any) -> None:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": "2027-03-29T09:00:00+02:00",
    }
    first = _post(api, body, "book-1")
    # The front desk never saw `first` (the connection dropped): the browser sends it again.
    retry = _post(api, body, "book-1")

    assert first.status_code == retry.status_code == 201, first.text
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert [a["id"] for a in _calendar(api, body["practitionerId"])] == [first.json()["id"]]


def test_a_retried_series_books_the_series_once(api: Any) -> None:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": "2027-03-30T09:00:00+02:00",
        "repeat": {"every": "week", "weekdays": [1, 3], "count": 4},
    }
    first = _post(api, body, "series-1")
    retry = _post(api, body, "series-1")

    assert first.status_code == retry.status_code == 201, first.text
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    booked = [s["id"] for s in first.json()["member"]]
    assert len(booked) == 4
    assert [a["id"] for a in _calendar(api, body["practitionerId"])] == booked


def test_the_same_key_with_another_booking_is_422(api: Any) -> None:
    practitioner, patient = api.practitioner(), api.patient()
    body = {
        "practitionerId": practitioner,
        "patientId": patient,
        "type": "follow_up",
        "startsAt": "2027-03-29T09:00:00+02:00",
    }
    first = _post(api, body, "book-2")
    other = _post(api, {**body, "startsAt": "2027-03-29T11:00:00+02:00"}, "book-2")

    assert first.status_code == 201, first.text
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert [a["id"] for a in _calendar(api, practitioner)] == [first.json()["id"]]
