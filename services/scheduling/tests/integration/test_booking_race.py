"""Ten simultaneous requests for one slot: exactly one booking wins, on MariaDB and on SQLite.

The requests truly race (``clinic_shared.testing.race``: the pool's connections opened first, a
barrier): with the two ``FOR UPDATE``s of ``infrastructure/read_models.py`` removed, the MariaDB
cases fail on every run, not on some.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_scheduling.cli import migrate
from clinic_scheduling.infrastructure import appointments
from clinic_shared.testing.race import app_engine, race, race_statuses

pytestmark = pytest.mark.integration

ATTEMPTS = 10


@pytest.fixture(autouse=True)
def slow_overlap_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between reading the calendar and writing to it, as a loaded server would.

    Without the per-practitioner/patient lock, several requests then see a free slot.
    """
    check = appointments.overlapping

    def slowly(*args: Any, **kwargs: Any) -> list[Any]:
        found = check(*args, **kwargs)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(appointments, "overlapping", slowly)


@pytest.fixture(params=["mariadb", "sqlite"])
def race_api(
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


def _all_at_once(api: Any, bodies: list[dict[str, Any]]) -> list[int]:
    calls = [lambda body=body: api.book(**body) for body in bodies]
    responses = race(calls, engines=[app_engine(api.client)])
    for response in responses:
        assert response.status_code in (201, 409), response.text
    return sorted(int(response.status_code) for response in responses)


def _appointments(api: Any, **params: Any) -> list[dict[str, Any]]:
    response = api.get(
        "/api/appointments", start="2027-03-29T00:00:00Z", end="2027-03-30T00:00:00Z", **params
    )
    members: list[dict[str, Any]] = response.json()["member"]
    return members


def test_ten_patients_racing_for_one_practitioner_slot(race_api: Any) -> None:
    practitioner = race_api.practitioner()
    bodies = [
        {
            "practitionerId": practitioner,
            "patientId": race_api.patient(),
            "type": "follow_up",
            # Staggered starts: every pair overlaps, none is an exact duplicate.
            "startsAt": f"2027-03-29T09:{minute:02d}:00+02:00",
        }
        for minute in range(ATTEMPTS)
    ]
    assert _all_at_once(race_api, bodies) == [201] + [409] * (ATTEMPTS - 1)
    assert len(_appointments(race_api, practitionerId=practitioner)) == 1


def test_one_patient_racing_across_ten_practitioners(race_api: Any) -> None:
    patient = race_api.patient()
    bodies = [
        {
            "practitionerId": race_api.practitioner(),
            "patientId": patient,
            "type": "follow_up",
            "startsAt": "2027-03-29T09:00:00+02:00",
        }
        for _ in range(ATTEMPTS)
    ]
    assert _all_at_once(race_api, bodies) == [201] + [409] * (ATTEMPTS - 1)
    assert len(_appointments(race_api, patientId=patient)) == 1


def test_two_simultaneous_edits_of_one_version_one_wins(race_api: Any) -> None:
    booked = race_api.booked(
        practitionerId=race_api.practitioner(),
        patientId=race_api.patient(),
        type="follow_up",
        startsAt="2027-03-29T09:00:00+02:00",
    )
    # Other practitioners and patients: their locks alone would not serialise these.
    targets = [(race_api.practitioner(), race_api.patient()) for _ in range(2)]
    bodies = [
        {
            "practitionerId": practitioner,
            "patientId": patient,
            "type": "follow_up",
            "startsAt": booked["startsAt"],
            "endsAt": booked["endsAt"],
        }
        for practitioner, patient in targets
    ]
    calls = [lambda body=body: race_api.put(booked["id"], body, '"1"') for body in bodies]
    assert race_statuses(calls, engines=[app_engine(race_api.client)]) == [200, 412]
    final = race_api.get(f"/api/appointments/{booked['id']}").json()
    assert final["version"] == 2
