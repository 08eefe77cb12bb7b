"""Series through the API: all or nothing, per-date clashes, skipping, cancelling the rest."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _series(api: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": "2027-03-23T09:00:00+01:00",
        "repeat": {"every": "week", "weekdays": [1, 3], "count": 4},
    }
    body.update(changes)
    return body


def _in_range(api: Any, practitioner: str) -> list[dict[str, Any]]:
    response = api.get(
        "/api/appointments", start="2027-03-20", end="2027-04-10", practitionerId=practitioner
    )
    members: list[dict[str, Any]] = response.json()["member"]
    return members


def test_a_series_books_every_session_at_the_same_local_time(api: Any) -> None:
    body = _series(api)
    response = api.book(**body)
    assert response.status_code == 201, response.text
    booked = response.json()
    assert [s["startsAt"] for s in booked["member"]] == [
        "2027-03-23T08:00:00Z",
        "2027-03-25T08:00:00Z",
        "2027-03-30T07:00:00Z",
        "2027-04-01T07:00:00Z",
    ]
    assert {s["seriesId"] for s in booked["member"]} == {booked["seriesId"]}
    assert booked["skipped"] == []


def test_a_clash_on_one_date_books_nothing_unless_skipped(api: Any) -> None:
    body = _series(api)
    taken = api.booked(
        practitionerId=body["practitionerId"],
        patientId=api.patient(),
        type="first_visit",
        startsAt="2027-03-30T09:30:00+02:00",
    )
    refused = api.book(**body)
    assert refused.status_code == 409, refused.text
    clashes = refused.json()["seriesClashes"]
    assert [c["date"] for c in clashes] == ["2027-03-30"]
    assert clashes[0]["clashes"][0]["id"] == taken["id"]
    assert clashes[0]["clashes"][0]["startsAt"] == "2027-03-30T07:30:00Z"
    assert [a["id"] for a in _in_range(api, body["practitionerId"])] == [taken["id"]]

    skipping = api.book(**body, skipClashes=True)
    assert skipping.status_code == 201, skipping.text
    assert skipping.json()["skipped"] == ["2027-03-30"]
    assert len(skipping.json()["member"]) == 3


def test_cancelling_this_and_the_following_sessions(api: Any) -> None:
    body = _series(api)
    sessions = api.book(**body).json()["member"]
    second = sessions[1]
    url = f"/api/appointments/{second['id']}/cancel-following"
    why = {"cancellationReason": "clinic"}
    assert api.client.post(url, json=why, headers=api.headers).status_code == 428
    unexplained = api.client.post(url, headers={**api.headers, "If-Match": '"1"'})
    assert unexplained.status_code == 422, unexplained.text
    response = api.client.post(url, json=why, headers={**api.headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert [s["id"] for s in response.json()["member"]] == [s["id"] for s in sessions[1:]]
    assert {s["cancellationReason"] for s in response.json()["member"]} == {"clinic"}
    statuses = [a["status"] for a in _in_range(api, body["practitionerId"])]
    assert statuses == ["scheduled", "cancelled", "cancelled", "cancelled"]
