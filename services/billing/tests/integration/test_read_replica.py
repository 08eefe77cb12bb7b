"""The invoice list reads a real MariaDB replica while it replicates and keeps up, and the
primary when the replica stops, lags more than ``replica_max_lag_seconds`` or is down.

A throw-away primary and replica (``clinic_shared.testing.replication``, their own ports and
datadirs) replace the shared test server here. To tell which one answered, a draft's notes are
changed on the replica alone: the list shows those notes only when it read the replica.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_billing.cli import migrate
from clinic_billing.config import BillingSettings
from clinic_shared.testing.keys import TokenFactory
from clinic_shared.testing.replication import (
    MARIADBD,
    ReplicatedPair,
    eventually,
    replicated_mariadb,
)

from ..conftest import Api, SettingsFactory

MAX_LAG = 2.0
CHECK_EVERY = 0.2
SESSION = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "40",
    "vatRate": "0",
    "exemption": "health_care",
}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.access(MARIADBD, os.X_OK), reason="mariadbd not installed"),
]


@pytest.fixture(scope="module")
def pair() -> Iterator[ReplicatedPair]:
    with replicated_mariadb() as servers:
        servers.primary.query("CREATE DATABASE clinic_billing")
        migrate(BillingSettings(database_url=servers.primary.url("clinic_billing"), app_env="test"))
        servers.caught_up()
        yield servers


@pytest.fixture
def replicated_api(
    pair: ReplicatedPair,
    settings_factory: SettingsFactory,
    client_factory: Callable[..., TestClient],
    token_factory: TokenFactory,
) -> Api:
    settings = settings_factory(
        database_url=pair.primary.url("clinic_billing"),
        database_replica_url=pair.replica.url("clinic_billing"),
        replica_max_lag_seconds=MAX_LAG,
        replica_check_seconds=CHECK_EVERY,
    )
    api = Api(client_factory(settings), token_factory)
    pair.caught_up()
    return api


def _draft(api: Api, notes: str) -> str:
    """A new draft (a simplified invoice: no customer needed) with ``notes``; its id."""
    body = {"series": "S", "lines": [SESSION], "notes": notes}
    return str(api.ok(api.post("/api/invoices", body), 201)["id"])


def _notes_listed(api: Api, invoice_id: str) -> str | None:
    listed: list[dict[str, Any]] = api.ok(api.get("/api/invoices", itemsPerPage=100))["member"]
    found = [summary for summary in listed if summary["id"] == invoice_id]
    return str(found[0]["notes"]) if found else None


def _marked_on_the_replica(pair: ReplicatedPair, api: Api) -> str:
    """A new draft whose notes differ on the replica alone; its id."""
    invoice_id = _draft(api, "Primario Uno")
    pair.caught_up()
    pair.replica.query(
        f"UPDATE clinic_billing.invoices SET notes = 'Réplica' WHERE id = '{invoice_id}'"
    )
    return invoice_id


def test_the_list_reads_the_replica_while_it_keeps_up(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    invoice_id = _marked_on_the_replica(pair, replicated_api)
    assert _notes_listed(replicated_api, invoice_id) == "Réplica"
    # Everything else reads the primary: the invoice's own page...
    page = replicated_api.ok(replicated_api.get(f"/api/invoices/{invoice_id}"))
    assert page["notes"] == "Primario Uno"
    # ...and a write: issuing answers with the invoice it reads back in the same request.
    issuing = replicated_api.client.post(
        f"/api/invoices/{invoice_id}/issue",
        headers={**replicated_api.headers, "If-Match": '"1"'},
    )
    issued = replicated_api.ok(issuing)
    assert (issued["status"], issued["notes"]) == ("issued", "Primario Uno")
    assert pair.primary.query(
        f"SELECT status FROM clinic_billing.invoices WHERE id = '{invoice_id}'"
    ) == [{"status": "issued"}]


def test_a_replica_that_stops_replicating_loses_the_reads_until_it_runs_again(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    invoice_id = _marked_on_the_replica(pair, replicated_api)
    with pair.stopped():
        assert eventually(lambda: _notes_listed(replicated_api, invoice_id) == "Primario Uno")
    assert eventually(lambda: _notes_listed(replicated_api, invoice_id) == "Réplica")


def test_a_replica_further_behind_than_the_limit_loses_the_reads(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    with pair.delayed(30):  # every change reaches the replica 30 s late
        invoice_id = _draft(replicated_api, "Recién Llegada")
        # Not on the replica for 30 s, yet listed once the lag passes MAX_LAG: the primary.
        assert eventually(lambda: _notes_listed(replicated_api, invoice_id) is not None)
        assert not pair.replica.query(
            f"SELECT id FROM clinic_billing.invoices WHERE id = '{invoice_id}'"
        )


def test_a_replica_that_is_down_leaves_the_reads_to_the_primary(
    pair: ReplicatedPair, replicated_api: Api
) -> None:
    invoice_id = _marked_on_the_replica(pair, replicated_api)
    with pair.replica_down():
        assert eventually(lambda: _notes_listed(replicated_api, invoice_id) == "Primario Uno")
    assert eventually(lambda: _notes_listed(replicated_api, invoice_id) == "Réplica")
