"""Two hundred drafts issued at the same moment take 200 consecutive numbers: no gap, no
duplicate, one unbroken Verifactu chain — on MariaDB and on the embedded SQLite.

The racers go through two apps on one database, as through two replicas: within an app the
issues of a series take turns on its issuing line, so only the database's locks keep the two
apps' turns from taking the same numbers (and this test fails when those locks go).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from clinic_billing.application.invoicing import DraftRequest, compose
from clinic_billing.config import BillingSettings
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_billing.infrastructure import invoices as repo
from clinic_shared.testing.race import app_engine, race

pytestmark = pytest.mark.integration

RACERS = 200
LINE = InvoiceLine(
    "Sesión de fisioterapia", Decimal(1), Decimal(40), Decimal(0), exemption=HEALTH_CARE
)


@pytest.fixture
def race_clients(
    each_database_settings: BillingSettings, client_factory: Callable[..., TestClient]
) -> tuple[TestClient, TestClient]:
    """Two billing apps (two replicas) on one MariaDB database, or on one embedded SQLite."""
    return client_factory(each_database_settings), client_factory(each_database_settings)


def _drafts(client: TestClient, count: int) -> list[str]:
    """``count`` simplified drafts, written in one transaction (the race is the issuing)."""
    services = client.app.state.services  # type: ignore[attr-defined]
    request = DraftRequest(series="S", lines=(LINE,))
    zone = ZoneInfo("Europe/Madrid")
    ids = []
    with services.new_session() as db, db.begin():
        for _ in range(count):
            record = compose(db, uuid.uuid4(), request, [], zone=zone, version=1)
            repo.add_draft(db, record, None)
            ids.append(str(record.id))
    return ids


def test_two_hundred_simultaneous_issues_take_consecutive_numbers(
    race_clients: tuple[TestClient, TestClient], api_headers: dict[str, str]
) -> None:
    race_client = race_clients[0]
    ids = _drafts(race_client, RACERS)

    def issue(invoice_id: str, replica: TestClient) -> str:
        response = replica.post(
            f"/api/invoices/{invoice_id}/issue", headers={**api_headers, "If-Match": '"1"'}
        )
        assert response.status_code == 200, response.text
        number: str = response.json()["number"]
        return number

    # The pool's connections are opened first: the racers meet at the counter, not at connect().
    calls = [
        lambda invoice_id=invoice_id, replica=race_clients[n % 2]: issue(invoice_id, replica)
        for n, invoice_id in enumerate(ids)
    ]
    numbers = race(calls, engines=[app_engine(replica) for replica in race_clients])

    year = numbers[0][1:5]
    assert sorted(numbers) == [f"S{year}{n:06d}" for n in range(1, RACERS + 1)]
    gaps = race_client.get(
        "/api/invoices/number-gaps", params={"year": year}, headers=api_headers
    ).json()
    assert gaps == {"year": int(year), "gaps": [], "duplicates": []}
    report = race_client.get("/api/invoices/chain/verify", headers=api_headers).json()
    assert report == {"ok": True, "records": RACERS, "issuers": 1, "firstBreak": None}
