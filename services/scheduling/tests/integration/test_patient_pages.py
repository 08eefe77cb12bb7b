"""A patient's upcoming and past appointments, a page at a time (the patient page of the SPA)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, insert

from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure.tables import appointments

pytestmark = pytest.mark.integration

# Madrid summer time: 09:00 local is 07:00 UTC.
STARTS = [
    "2027-04-05T09:00:00+02:00",
    "2027-04-06T09:00:00+02:00",
    "2027-04-07T09:00:00+02:00",
    "2027-04-08T09:00:00+02:00",
]


def _book_all(api: Any) -> tuple[str, list[dict[str, Any]]]:
    patient = api.patient()
    practitioners = [api.practitioner(), api.practitioner()]
    booked = [
        api.booked(
            practitionerId=practitioners[i % 2], patientId=patient, type="follow_up", startsAt=s
        )
        for i, s in enumerate(STARTS)
    ]
    api.booked(
        practitionerId=practitioners[0],
        patientId=api.patient(),
        type="follow_up",
        startsAt="2027-04-06T11:00:00+02:00",
    )  # someone else's: never listed
    return patient, booked


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["member"]]


def test_upcoming_soonest_first_from_a_moment_inclusive(api: Any) -> None:
    patient, booked = _book_all(api)
    upcoming = api.get("/api/appointments", patientId=patient, after="2027-04-06T07:00:00Z")
    assert _ids(upcoming) == [b["id"] for b in booked[1:]]  # the 6th's 09:00 is included


def test_past_latest_first_before_a_moment_exclusive(api: Any) -> None:
    patient, booked = _book_all(api)
    past = api.get(
        "/api/appointments", patientId=patient, before="2027-04-07T09:00:00", order="desc"
    )  # no offset: clinic time, so the 7th's visit itself is not before it
    assert _ids(past) == [booked[1]["id"], booked[0]["id"]]


def test_pages_follow_the_order_and_keep_the_filters(api: Any) -> None:
    patient, booked = _book_all(api)
    first = api.get(
        "/api/appointments",
        patientId=patient,
        after="2027-04-01T00:00:00Z",
        before="2027-05-01T00:00:00Z",
        order="desc",
        itemsPerPage=3,
    )
    assert _ids(first) == [b["id"] for b in reversed(booked[1:])]
    next_link = first.json()["view"]["next"]
    assert "order=desc" in next_link
    assert "after=" in next_link
    second = api.client.get(next_link, headers=api.headers)
    assert _ids(second) == [booked[0]["id"]]
    assert second.json()["view"]["next"] is None


def test_ties_on_the_start_are_ordered_by_id_both_ways(api: Any) -> None:
    # Same patient, same start: possible once the earlier bookings were cancelled.
    patient, practitioner = api.patient(), api.practitioner()
    same_start = []
    for _ in range(3):
        booked = api.booked(
            practitionerId=practitioner, patientId=patient, type="follow_up", startsAt=STARTS[0]
        )
        keys = ("practitionerId", "patientId", "type", "startsAt", "endsAt")
        cancel = {**{k: booked[k] for k in keys}, "status": "cancelled"}
        cancel["cancellationReason"] = "patient"
        assert api.put(booked["id"], cancel, '"1"').status_code == 200
        same_start.append(booked["id"])
    for order, expected in (("asc", sorted(same_start)), ("desc", sorted(same_start)[::-1])):
        listed = api.get("/api/appointments", patientId=patient, after=STARTS[0], order=order)
        assert _ids(listed) == expected


def test_the_status_filter_combines_with_the_moment(api: Any) -> None:
    patient, booked = _book_all(api)
    body = {k: booked[2][k] for k in ("practitionerId", "patientId", "type", "startsAt", "endsAt")}
    assert (
        api.put(
            booked[2]["id"], {**body, "status": "cancelled", "cancellationReason": "patient"}, '"1"'
        ).status_code
        == 200
    )
    upcoming = api.get("/api/appointments", patientId=patient, after=STARTS[1], status="scheduled")
    assert _ids(upcoming) == [booked[1]["id"], booked[3]["id"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-04-05", "end": "2027-04-06", "after": "2027-04-05"}, "after"),
        ({"start": "2027-04-05", "end": "2027-04-06", "before": "2027-04-06"}, "before"),
        ({"end": "2027-04-06", "before": "2027-04-06"}, "before"),
        ({"after": "2027-04-06T00:00:00Z", "before": "2027-04-05T00:00:00Z"}, "before"),
        ({"after": "yesterday"}, "after"),
        ({"order": "sideways"}, "order"),
    ],
)
def test_bad_page_filters_name_the_field(api: Any, params: dict[str, str], field: str) -> None:
    response = api.get("/api/appointments", **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


def _crowd_the_calendar(api: Any, rows: int = 3000) -> None:
    """Other patients' appointments around 2027-04-06, so the plan is the one a clinic gets."""
    now = datetime(2026, 1, 1)
    practitioner, patients = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(300)]
    values = [
        {
            "id": str(uuid.uuid4()),
            "practitioner_id": practitioner,
            "patient_id": patients[i % len(patients)],
            "kind": "appointment",
            "type": "follow_up",
            "status": "scheduled",
            "starts_at": datetime(2027, 3, 1) + timedelta(hours=i % 1500),
            "ends_at": datetime(2027, 3, 1) + timedelta(hours=i % 1500, minutes=45),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(rows)
    ]
    with api._session() as session:
        session.execute(insert(appointments), values)
        session.commit()


@pytest.mark.parametrize(
    "filters",
    [
        {"starts_from": datetime(2027, 4, 6, tzinfo=UTC)},
        {"starts_before": datetime(2027, 4, 6, tzinfo=UTC), "descending": True},
        {"starts_from": datetime(2027, 4, 6, tzinfo=UTC), "statuses": ["scheduled"]},
        {"descending": True},
    ],
)
def test_a_patient_page_is_read_off_the_patient_index_both_ways(
    api: Any, filters: dict[str, Any]
) -> None:
    patient, _ = _book_all(api)
    _crowd_the_calendar(api)
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    with api._session() as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            repo.find(session, patient_id=UUID(patient), offset=0, limit=16, **filters)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = statements[-1]
        plan = session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters).one()
    assert plan.key == "ix_appointments_patient_time", plan
    assert "filesort" not in (plan.Extra or ""), plan
