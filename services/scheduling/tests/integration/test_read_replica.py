"""The calendar (``GET /api/appointments``) and the week grid read a real MariaDB replica while
it replicates and keeps up, and the primary when the replica stops, lags more than
``replica_max_lag_seconds`` or is down.

A throw-away primary and replica (``clinic_shared.testing.replication``, their own ports and
datadirs) replace the shared test server here. To tell which one answered, the name of an
appointment's patient is changed on the replica alone: both views show that name only when they
read the replica. A name, not the appointment's notes, because a write answers with a name it
reads back from the database, never from its request's body.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_scheduling.cli import migrate
from clinic_scheduling.config import SchedulingSettings
from clinic_shared.testing.replication import (
    MARIADBD,
    ReplicatedPair,
    eventually,
    replicated_mariadb,
)

from ..conftest import Api, SettingsFactory

MAX_LAG = 2.0
CHECK_EVERY = 0.2
WEEK_START = "2027-03-29"  # a Monday
MONDAY_NINE = "2027-03-29T09:00:00+02:00"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.access(MARIADBD, os.X_OK), reason="mariadbd not installed"),
]


@pytest.fixture(scope="module")
def pair() -> Iterator[ReplicatedPair]:
    with replicated_mariadb() as servers:
        servers.primary.query("CREATE DATABASE clinic_scheduling")
        migrate(
            SchedulingSettings(
                database_url=servers.primary.url("clinic_scheduling"), app_env="test"
            )
        )
        servers.caught_up()
        yield servers


@pytest.fixture
def replicated_api(
    pair: ReplicatedPair,
    settings_factory: SettingsFactory,
    client_factory: Callable[..., TestClient],
    api_for: Callable[[TestClient], Api],
) -> Api:
    settings = settings_factory(
        database_url=pair.primary.url("clinic_scheduling"),
        database_replica_url=pair.replica.url("clinic_scheduling"),
        replica_max_lag_seconds=MAX_LAG,
        replica_check_seconds=CHECK_EVERY,
    )
    api = api_for(client_factory(settings))
    pair.caught_up()
    return api


def _booking(api: Api, patient_name: str) -> dict[str, Any]:
    """A booking on Monday at nine for a new patient, with a practitioner of its own (no clash)."""
    return {
        "practitionerId": api.practitioner(),
        "patientId": api.patient(fullName=patient_name),
        "type": "follow_up",
        "startsAt": MONDAY_NINE,
    }


def _patient_name_shown(api: Api, appointment: dict[str, Any]) -> tuple[str | None, str | None]:
    """The patient's name in the calendar's range and in the week grid (None: not shown)."""
    practitioner_id = appointment["practitionerId"]
    calendar = api.get(
        "/api/appointments",
        start=f"{WEEK_START}T00:00:00+02:00",
        end="2027-04-05T00:00:00+02:00",
        practitionerId=practitioner_id,
    )
    week = api.get("/api/schedule/week", practitionerId=practitioner_id, weekStart=WEEK_START)
    assert calendar.status_code == 200, calendar.text
    assert week.status_code == 200, week.text
    in_calendar = calendar.json()["member"]
    in_week = [shown for day in week.json()["days"] for shown in day["appointments"]]
    return _name_of(in_calendar, appointment["id"]), _name_of(in_week, appointment["id"])


def _name_of(shown: list[dict[str, Any]], appointment_id: str) -> str | None:
    found = [appointment for appointment in shown if appointment["id"] == appointment_id]
    return str(found[0]["patientName"]) if found else None


def _both_show(api: Api, appointment: dict[str, Any], patient_name: str) -> bool:
    return _patient_name_shown(api, appointment) == (patient_name, patient_name)


def _marked_on_the_replica(pair: ReplicatedPair, api: Api) -> dict[str, Any]:
    """A new appointment whose patient is named differently on the replica alone."""
    appointment = api.booked(**_booking(api, "Primario Uno"))
    pair.caught_up()
    pair.replica.query(
        "UPDATE clinic_scheduling.patients SET full_name = 'Réplica' "
        f"WHERE id = '{appointment['patientId']}'"
    )
    return appointment


def test_the_calendar_and_the_week_read_the_replica_while_it_keeps_up(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    appointment = _marked_on_the_replica(pair, replicated_api)
    assert _patient_name_shown(replicated_api, appointment) == ("Réplica", "Réplica")
    # Everything else reads the primary: the appointment's own page...
    page = replicated_api.get(f"/api/appointments/{appointment['id']}")
    assert page.json()["patientName"] == "Primario Uno"
    # ...and a write, which answers with the names it reads back in the same request.
    an_hour_later = {
        "practitionerId": appointment["practitionerId"],
        "patientId": appointment["patientId"],
        "type": "follow_up",
        "startsAt": "2027-03-29T10:00:00+02:00",
        "endsAt": "2027-03-29T10:45:00+02:00",
    }
    moved = replicated_api.put(appointment["id"], an_hour_later, if_match='"1"')
    assert moved.status_code == 200, moved.text
    assert moved.json()["patientName"] == "Primario Uno"


def test_a_replica_that_stops_replicating_loses_the_reads_until_it_runs_again(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    appointment = _marked_on_the_replica(pair, replicated_api)
    with pair.stopped():
        assert eventually(lambda: _both_show(replicated_api, appointment, "Primario Uno"))
    assert eventually(lambda: _both_show(replicated_api, appointment, "Réplica"))


def test_a_replica_further_behind_than_the_limit_loses_the_reads(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    booking = _booking(replicated_api, "Recién Llegado")
    # The replica knows the practitioner (the week grid of an unknown one is 422): only the
    # appointment is missing there.
    pair.caught_up()
    with pair.delayed(30):  # every change reaches the replica 30 s late
        appointment = replicated_api.booked(**booking)
        # Not on the replica for 30 s, yet shown once the lag passes MAX_LAG: the primary.
        assert eventually(lambda: _both_show(replicated_api, appointment, "Recién Llegado"))
        assert not pair.replica.query(
            f"SELECT id FROM clinic_scheduling.appointments WHERE id = '{appointment['id']}'"
        )


def test_a_replica_that_is_down_leaves_the_reads_to_the_primary(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    appointment = _marked_on_the_replica(pair, replicated_api)
    with pair.replica_down():
        assert eventually(lambda: _both_show(replicated_api, appointment, "Primario Uno"))
    assert eventually(lambda: _both_show(replicated_api, appointment, "Réplica"))
