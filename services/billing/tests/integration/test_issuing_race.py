"""Two hundred drafts issued at the same moment take 200 consecutive numbers: no gap, no
duplicate, one unbroken Verifactu chain — on MariaDB and on the embedded SQLite."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from clinic_billing.application.invoicing import DraftRequest, compose
from clinic_billing.cli import migrate
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_billing.infrastructure import invoices as repo

pytestmark = pytest.mark.integration

RACERS = 200
WARM_CONNECTIONS = 20
LINE = InvoiceLine(
    "Sesión de fisioterapia", Decimal(1), Decimal(40), Decimal(0), exemption=HEALTH_CARE
)


@pytest.fixture(params=["mariadb", "sqlite"])
def race_client(
    request: pytest.FixtureRequest,
    settings_factory: Callable[..., Any],
    client_factory: Callable[..., TestClient],
    tmp_path: Path,
) -> TestClient:
    """A billing app on MariaDB, or on the embedded SQLite."""
    if request.param == "mariadb":
        return client_factory()
    settings = settings_factory(database_url=f"sqlite:///{tmp_path / 'billing.sqlite'}")
    migrate(settings)
    return client_factory(settings)


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


def _warm(client: TestClient) -> None:
    # Connections opened before the start, so the racers meet at the counter, not at connect().
    engine = client.app.state.services.engine  # type: ignore[attr-defined]
    kept = min(WARM_CONNECTIONS, engine.pool.size())  # what the pool keeps once returned
    connections = [engine.connect() for _ in range(kept)]
    for connection in connections:
        connection.close()


def test_two_hundred_simultaneous_issues_take_consecutive_numbers(
    race_client: TestClient, api_headers: dict[str, str]
) -> None:
    ids = _drafts(race_client, RACERS)
    _warm(race_client)
    start = threading.Barrier(RACERS)

    def issue(invoice_id: str) -> str:
        start.wait()
        response = race_client.post(
            f"/api/invoices/{invoice_id}/issue", headers={**api_headers, "If-Match": '"1"'}
        )
        assert response.status_code == 200, response.text
        number: str = response.json()["number"]
        return number

    with ThreadPoolExecutor(RACERS) as pool:
        numbers = list(pool.map(issue, ids))

    year = numbers[0][1:5]
    assert sorted(numbers) == [f"S{year}{n:06d}" for n in range(1, RACERS + 1)]
    gaps = race_client.get(
        "/api/invoices/number-gaps", params={"year": year}, headers=api_headers
    ).json()
    assert gaps == {"year": int(year), "gaps": [], "duplicates": []}
    report = race_client.get("/api/invoices/chain/verify", headers=api_headers).json()
    assert report == {"ok": True, "records": RACERS, "issuers": 1, "firstBreak": None}


@pytest.fixture
def api_headers(token_factory: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_factory(roles=['ROLE_RECEPTIONIST'])}"}
