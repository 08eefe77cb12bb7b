"""Bookings outside working hours or on an absence: 422 unless deliberate, on MariaDB and SQLite.

The demo template is Monday–Friday 09:00–14:00 and 15:00–19:00 in Madrid; Tuesday 8 December
2026 is a working day, the 12th a Saturday and the 13th a Sunday.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from clinic_scheduling.cli import migrate

pytestmark = pytest.mark.integration

TUESDAY_TEN = "2026-12-08T10:00:00+01:00"
TUESDAY_EVENING = "2026-12-08T19:30:00+01:00"
SATURDAY_TEN = "2026-12-12T10:00:00+01:00"


@pytest.fixture(params=["mariadb", "sqlite"])
def any_api(
    request: pytest.FixtureRequest,
    settings_factory: Callable[..., Any],
    client_factory: Callable[..., TestClient],
    api_for: Callable[[TestClient], Any],
    tmp_path: Path,
) -> Any:
    """The API helper on a MariaDB-backed app, or on one using the embedded SQLite."""
    if request.param == "mariadb":
        return api_for(client_factory())
    settings = settings_factory(database_url=f"sqlite:///{tmp_path / 'scheduling.sqlite'}")
    migrate(settings)
    return api_for(client_factory(settings))


def _visit(api: Any, starts_at: str, **changes: Any) -> dict[str, Any]:
    body = {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(),
        "type": "follow_up",
        "startsAt": starts_at,
    }
    return body | changes


def _refused(response: httpx.Response, field: str, reason: str) -> dict[str, Any]:
    """The 422 of a time outside the hours: problem+json naming ``field``, with the code."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    assert problem["code"] == "outside_working_hours"
    assert problem["reason"] == reason
    assert "allowOutsideHours" in problem["detail"]
    return problem


def _booked_of(api: Any, practitioner: str) -> list[dict[str, Any]]:
    found = api.get(
        "/api/appointments", start="2026-12-01", end="2027-01-31", practitionerId=practitioner
    )
    assert found.status_code == 200, found.text
    members: list[dict[str, Any]] = found.json()["member"]
    return members


def test_a_saturday_is_refused_unless_deliberate(any_api: Any) -> None:
    body = _visit(any_api, SATURDAY_TEN)
    _refused(any_api.book(**body), "startsAt", "closed")
    assert _booked_of(any_api, body["practitionerId"]) == []

    deliberate = any_api.book(**body, allowOutsideHours=True)
    assert deliberate.status_code == 201, deliberate.text
    assert deliberate.json()["startsAt"] == "2026-12-12T09:00:00Z"
    assert "allowOutsideHours" not in deliberate.json()


def test_inside_the_hours_needs_no_flag_and_running_past_closing_names_the_end(
    any_api: Any,
) -> None:
    assert any_api.book(**_visit(any_api, TUESDAY_TEN)).status_code == 201
    late = _visit(any_api, "2026-12-08T18:30:00+01:00")  # 45 minutes: until 19:15
    _refused(any_api.book(**late), "endsAt", "runs_over")
    lunch = _visit(any_api, "2026-12-08T13:30:00+01:00", endsAt="2026-12-08T14:00:00+01:00")
    assert any_api.book(**lunch).status_code == 201


def test_an_absence_is_refused_until_it_is_removed(any_api: Any) -> None:
    body = _visit(any_api, TUESDAY_TEN)
    base = f"/api/practitioners/{body['practitionerId']}/absences"
    course = {"startsAt": "2026-12-08T00:00:00+01:00", "endsAt": "2026-12-09T00:00:00+01:00"}
    absence = any_api.client.post(base, json=course, headers=any_api.headers)
    assert absence.status_code == 201, absence.text
    _refused(any_api.book(**body), "startsAt", "absent")
    removed = any_api.client.delete(f"{base}/{absence.json()['id']}", headers=any_api.headers)
    assert removed.status_code == 204
    assert any_api.book(**body).status_code == 201


def test_a_block_may_lie_outside_the_hours(any_api: Any) -> None:
    block = any_api.book(
        practitionerId=any_api.practitioner(),
        kind="block",
        title="Reunión de equipo",
        startsAt="2026-12-08T19:00:00+01:00",
        endsAt="2026-12-08T20:30:00+01:00",
    )
    assert block.status_code == 201, block.text


def test_an_empty_slot_is_kept_to_the_hours(any_api: Any) -> None:
    body = {
        "practitionerId": any_api.practitioner(),
        "kind": "empty_slot",
        "startsAt": SATURDAY_TEN,
        "endsAt": "2026-12-12T10:45:00+01:00",
    }
    _refused(any_api.book(**body), "startsAt", "closed")


def test_each_session_of_a_series_must_fit_the_hours(any_api: Any) -> None:
    # Tuesdays at 10:00, with Sunday ticked by mistake: the Sundays are refused, nothing booked.
    body = _visit(any_api, TUESDAY_TEN, repeat={"every": "week", "weekdays": [1, 6], "count": 4})
    problem = _refused(any_api.book(**body), "repeat.weekdays", "closed")
    assert problem["dates"] == ["2026-12-13", "2026-12-20"]
    assert _booked_of(any_api, body["practitionerId"]) == []
    # Skipping clashes does not skip these: they are not clashes.
    _refused(any_api.book(**body, skipClashes=True), "repeat.weekdays", "closed")

    deliberate = any_api.book(**body, allowOutsideHours=True)
    assert deliberate.status_code == 201, deliberate.text
    assert len(deliberate.json()["member"]) == 4


def test_a_series_meeting_an_absence_lists_that_date(any_api: Any) -> None:
    body = _visit(any_api, TUESDAY_TEN, repeat={"every": "week", "weekdays": [1], "count": 3})
    holiday = {"startsAt": "2026-12-15T00:00:00+01:00", "endsAt": "2026-12-16T00:00:00+01:00"}
    url = f"/api/practitioners/{body['practitionerId']}/absences"
    assert any_api.client.post(url, json=holiday, headers=any_api.headers).status_code == 201
    problem = _refused(any_api.book(**body), "repeat.weekdays", "absent")
    assert problem["dates"] == ["2026-12-15"]


def test_a_move_outside_the_hours_is_refused_unless_deliberate(any_api: Any) -> None:
    booked = any_api.booked(**_visit(any_api, TUESDAY_TEN))
    editable = {k: booked[k] for k in ("practitionerId", "patientId", "type", "endsAt")}
    evening = {**editable, "startsAt": TUESDAY_EVENING, "endsAt": "2026-12-08T20:15:00+01:00"}
    _refused(any_api.put(booked["id"], evening, '"1"'), "startsAt", "closed")
    stored = any_api.get(f"/api/appointments/{booked['id']}").json()
    assert (stored["startsAt"], stored["version"]) == (booked["startsAt"], 1)

    moved = any_api.put(booked["id"], {**evening, "allowOutsideHours": True}, '"1"')
    assert moved.status_code == 200, moved.text
    assert moved.json()["startsAt"] == "2026-12-08T18:30:00Z"
    # Left where it deliberately is, its notes still change without the flag.
    kept = any_api.put(booked["id"], {**evening, "notes": "Viene después del trabajo"}, '"2"')
    assert kept.status_code == 200, kept.text


def test_handing_a_visit_to_someone_not_working_then_is_refused(any_api: Any) -> None:
    booked = any_api.booked(**_visit(any_api, TUESDAY_TEN))
    mornings_off = any_api.practitioner()
    afternoons = {"periods": [{"weekday": 1, "start": "15:00", "end": "19:00"}]}
    assert any_api.put_hours(mornings_off, afternoons).status_code == 200
    body = {k: booked[k] for k in ("patientId", "type", "startsAt", "endsAt")}
    handed = any_api.put(booked["id"], {**body, "practitionerId": mornings_off}, '"1"')
    _refused(handed, "startsAt", "closed")


def test_an_outside_hours_visit_is_completed_without_the_flag(any_api: Any) -> None:
    booked = any_api.booked(**_visit(any_api, "2026-11-28T10:00:00+01:00"), allowOutsideHours=True)
    body = {k: booked[k] for k in ("practitionerId", "patientId", "type", "startsAt", "endsAt")}
    done = any_api.put(booked["id"], {**body, "status": "completed"}, '"1"')
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
