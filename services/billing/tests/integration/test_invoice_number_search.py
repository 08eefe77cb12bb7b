"""The search by a number's last digits, through the newest keys of each series, finds exactly
what the plain definition finds (the number ends in the digits, newest first) on MariaDB and
SQLite: over two series and two years, page by page, and still when a number is missing or
two moments tie (where it falls back to every key)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from clinic_billing.config import BillingSettings
from clinic_billing.infrastructure import invoice_number_search
from clinic_billing.infrastructure.tables import invoices

from .test_invoice_name_search import _listed

pytestmark = pytest.mark.integration

LINE = {"description": "Sesión", "quantity": "1", "unitPrice": "40.00", "vatRate": "0",
        "exemption": "health_care"}  # fmt: skip
CUSTOMER = {"kind": "person", "name": "Lucía Pérez", "taxId": "12345678Z",
            "address": "Calle Mayor 1", "postalCode": "28013", "city": "Madrid"}  # fmt: skip
# 1 and 0 (sequences 10, 20…), two digits, a whole sequence, a year's end and a sequence, a
# number without its series, digits no number ends in, and more digits than a number has.
SEARCHES = ["1", "0", "3", "12", "20", "000012", "5000003", "2025000021", "99", "12026000001"]


@pytest.fixture
def search_client(
    each_database_settings: BillingSettings, client_factory: Callable[..., TestClient]
) -> TestClient:
    return client_factory(each_database_settings)


def _at(client: TestClient, moment: datetime) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    state.services = dataclasses.replace(state.services, clock=lambda: moment)


def _issue_years(client: TestClient, headers: dict[str, str]) -> None:
    """F and S invoices taking turns, 24 and 31 of them in 2025 and 2026, a minute apart, then
    40 more S: the newest of some digits are all in one series."""
    created = client.post("/api/customers", json=CUSTOMER, headers=headers)
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    for year, count, s_only in ((2025, 24, 0), (2026, 31, 40)):
        for n in range(count * 2 + s_only):
            _at(client, datetime(year, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=n))
            body: dict[str, Any] = {"series": "S", "lines": [LINE]}
            if n % 2 and n < count * 2:
                body = {**body, "series": "F", "customerId": customer_id}
            draft = client.post("/api/invoices", json=body, headers=headers)
            assert draft.status_code == 201, draft.text
            url = f"/api/invoices/{draft.json()['id']}/issue"
            issued = client.post(url, headers={**headers, "If-Match": "*"})
            assert issued.status_code == 200, issued.text


def _expected(client: TestClient, digits: str) -> list[str]:
    services = client.app.state.services  # type: ignore[attr-defined]
    query = (
        select(invoices.c.id)
        .where(invoices.c.issued_at.is_not(None), invoices.c.number.endswith(digits))
        .order_by(invoices.c.issued_at.desc(), invoices.c.created_at.desc(), invoices.c.id.desc())
    )
    with services.new_session() as db, db.begin():
        return list(db.scalars(query))


def _assert_every_search_pages_as_defined(client: TestClient, headers: dict[str, str]) -> None:
    for q in SEARCHES:
        expected = _expected(client, q)
        for per_page in (2, 5, 100):
            assert _listed(client, headers, q, per_page) == expected, (q, per_page)


def test_every_search_by_last_digits_pages_through_what_the_plain_definition_finds(
    search_client: TestClient, api_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _issue_years(search_client, api_headers)
    fell_back: list[str] = []
    by_suffix = invoice_number_search.by_suffix

    def spied(session: Any, digits: str, offset: int, limit: int) -> list[str] | None:
        found = by_suffix(session, digits, offset, limit)
        if found is None:
            fell_back.append(digits)
        return found

    monkeypatch.setattr("clinic_billing.infrastructure.invoice_list.by_suffix", spied)
    _assert_every_search_pages_as_defined(search_client, api_headers)
    assert fell_back == []  # the newest keys held every page: no search read every key
    # 1, 11, 21 in each series in 2025; and 31 in F, 31 to 71 in S in 2026.
    assert len(_expected(search_client, "1")) == 3 + 3 + 4 + 8
    assert _expected(search_client, "99") == []


def test_a_missing_number_or_tied_moments_fall_back_to_every_key(
    search_client: TestClient, api_headers: dict[str, str]
) -> None:
    _issue_years(search_client, api_headers)
    services = search_client.app.state.services  # type: ignore[attr-defined]
    with services.new_session() as db, db.begin():
        # S2026000021 is gone from its place (a number missing in the keys' range), and
        # F2026000031 and F2026000029 were stamped at the same moment.
        db.execute(
            update(invoices)
            .where(invoices.c.number == "S2026000021")
            .values(sequence=90, number="S2026000090")
        )
        moment = db.scalar(select(invoices.c.issued_at).where(invoices.c.number == "F2026000029"))
        db.execute(
            update(invoices).where(invoices.c.number == "F2026000031").values(issued_at=moment)
        )
    _assert_every_search_pages_as_defined(search_client, api_headers)
