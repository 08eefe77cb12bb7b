"""The patient list reads a real MariaDB replica while it replicates and keeps up, and the
primary when the replica stops, lags more than ``replica_max_lag_seconds`` or is down.

A throw-away primary and replica (``clinic_shared.testing.replication``, their own ports and
datadirs) replace the shared test server here. To tell which one answered, a patient's surname
is changed on the replica alone: the list shows that surname only when it read the replica.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_patients.cli import migrate
from clinic_patients.config import PatientsSettings
from clinic_shared.testing.replication import (
    MARIADBD,
    ReplicatedPair,
    eventually,
    replicated_mariadb,
)

from ..conftest import Api, ClientFactory, SettingsFactory

MAX_LAG = 2.0
CHECK_EVERY = 0.2

pytestmark = pytest.mark.skipif(not os.access(MARIADBD, os.X_OK), reason="mariadbd not installed")


@pytest.fixture(scope="module")
def pair() -> Iterator[ReplicatedPair]:
    with replicated_mariadb() as servers:
        servers.primary.query("CREATE DATABASE clinic_patients")
        migrate(
            PatientsSettings(database_url=servers.primary.url("clinic_patients"), app_env="test")
        )
        servers.caught_up()
        yield servers


@pytest.fixture
def replicated_api(
    pair: ReplicatedPair,
    settings_factory: SettingsFactory,
    client_factory: ClientFactory,
    api_for: Callable[[TestClient], Api],
) -> Api:
    settings = settings_factory(
        database_url=pair.primary.url("clinic_patients"),
        database_replica_url=pair.replica.url("clinic_patients"),
        replica_max_lag_seconds=MAX_LAG,
        replica_check_seconds=CHECK_EVERY,
    )
    api = api_for(client_factory(settings))
    pair.caught_up()
    return api


def _surname_listed(api: Api, patient_id: str) -> str | None:
    answer = api.client.get("/api/patients", params={"itemsPerPage": 100}, headers=api.headers)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = [p for p in answer.json()["member"] if p["id"] == patient_id]
    return str(found[0]["lastName"]) if found else None


def _marked_on_the_replica(pair: ReplicatedPair, api: Api) -> str:
    """A new patient whose surname differs on the replica alone; its id."""
    patient_id = str(api.created(lastName="Primario Uno")["id"])
    pair.caught_up()
    pair.replica.query(
        f"UPDATE clinic_patients.patients SET last_name = 'Réplica' WHERE id = '{patient_id}'"
    )
    return patient_id


def test_the_list_reads_the_replica_while_it_keeps_up(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    patient_id = _marked_on_the_replica(pair, replicated_api)
    assert _surname_listed(replicated_api, patient_id) == "Réplica"
    # Everything else reads the primary: the patient's own page, right after its write.
    page = replicated_api.get(patient_id)
    assert page.json()["lastName"] == "Primario Uno"


def test_a_replica_that_stops_replicating_loses_the_reads_until_it_runs_again(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    patient_id = _marked_on_the_replica(pair, replicated_api)
    with pair.stopped():
        assert eventually(lambda: _surname_listed(replicated_api, patient_id) == "Primario Uno")
    assert eventually(lambda: _surname_listed(replicated_api, patient_id) == "Réplica")


def test_a_replica_further_behind_than_the_limit_loses_the_reads(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    with pair.delayed(30):  # every change reaches the replica 30 s late
        patient_id = str(replicated_api.created(lastName="Recién Llegado")["id"])
        # Not on the replica for 30 s, yet listed once the lag passes MAX_LAG: the primary.
        assert eventually(lambda: _surname_listed(replicated_api, patient_id) is not None)
        assert not pair.replica.query(
            f"SELECT id FROM clinic_patients.patients WHERE id = '{patient_id}'"
        )


def test_a_replica_that_is_down_leaves_the_reads_to_the_primary(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    patient_id = _marked_on_the_replica(pair, replicated_api)
    with pair.replica_down():
        assert eventually(lambda: _surname_listed(replicated_api, patient_id) == "Primario Uno")
    assert eventually(lambda: _surname_listed(replicated_api, patient_id) == "Réplica")
