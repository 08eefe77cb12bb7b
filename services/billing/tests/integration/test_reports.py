"""Reports: number gaps (none when issuing is gapless), the sales book CSV that adds up, the
dashboard's figures, and the list's date and number filters."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from clinic_billing.infrastructure.tables import invoices

pytestmark = pytest.mark.integration

SESSION = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "40.00",
    "vatRate": "0",
    "exemption": "health_care",
}
BAND = {"description": "Banda elástica", "quantity": "3", "unitPrice": "12.35", "vatRate": "21"}


def at(api: Any, moment: datetime) -> None:
    app = api.client.app
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)


def issued(api: Any, lines: list[dict[str, Any]], series: str = "S") -> dict[str, Any]:
    draft = api.ok(api.post("/api/invoices", {"series": series, "lines": lines}), 201)
    url = f"/api/invoices/{draft['id']}/issue"
    result: dict[str, Any] = api.ok(api.client.post(url, headers={**api.headers, "If-Match": "*"}))
    return result


@pytest.fixture
def quarter(api: Any) -> list[dict[str, Any]]:
    """Invoices of February and March 2026, a cancellation, and a draft."""
    at(api, datetime(2026, 2, 27, 10, 0, tzinfo=UTC))
    february = issued(api, [SESSION])
    at(api, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    mixed = issued(api, [SESSION, BAND])
    at(api, datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    band = issued(api, [BAND])
    at(api, datetime(2026, 3, 3, 10, 5, tzinfo=UTC))
    body = {"method": "differences", "reasonCode": "R5", "reason": "Devolución"}
    cancel = api.ok(api.post(f"/api/invoices/{band['id']}/rectify", body), 201)
    api.post("/api/invoices", {"series": "S", "lines": [SESSION]})
    return [february, mixed, band, cancel]


def test_gapless_issuing_shows_no_gaps_and_a_missing_number_shows(
    api: Any, quarter: list[Any]
) -> None:
    report = api.ok(api.get("/api/invoices/number-gaps", year=2026))
    assert report == {"year": 2026, "gaps": [], "duplicates": []}
    # Someone renumbers the last S invoice in the database: S2026000003..5 are now missing.
    with api.session() as db, db.begin():
        db.execute(
            update(invoices)
            .where(invoices.c.number == "S2026000003")
            .values(sequence=6, number="S2026000006")
        )
    report = api.ok(api.get("/api/invoices/number-gaps", year=2026))
    assert report["gaps"] == [
        {"series": "S", "first": "S2026000003", "last": "S2026000005", "missing": 3}
    ]
    assert api.ok(api.get("/api/invoices/number-gaps", year=2025))["gaps"] == []
    assert api.get("/api/invoices/number-gaps", year=99).status_code == 422


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_the_sales_book_has_a_row_per_rate_and_adds_up(api: Any, quarter: list[Any]) -> None:
    response = api.get("/api/invoices/sales-book.csv", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="sales-book-2026-03-01-2026-03-31.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, body, totals = rows[0], rows[1:-1], rows[-1]
    assert header[0] == "Número"
    assert [(r[0], r[1], r[5], r[7]) for r in body] == [
        ("S2026000002", "02/03/2026", "21,00", ""),
        ("S2026000002", "02/03/2026", "0,00", "E1"),
        ("S2026000003", "03/03/2026", "21,00", ""),
        ("R2026000001", "03/03/2026", "21,00", ""),
    ]
    assert body[0][4:9] == ["37,05", "21,00", "7,78", "", "44,83"]
    assert body[3][4] == "-37,05"
    expected_total = sum((Decimal(invoice["total"]) for invoice in quarter[1:]), Decimal("0.00"))
    assert totals[0] == "Total"
    assert sum((_amount(r[4]) for r in body), Decimal(0)) == _amount(totals[4])
    assert sum((_amount(r[6]) for r in body), Decimal(0)) == _amount(totals[6])
    assert sum((_amount(r[8]) for r in body), Decimal(0)) == _amount(totals[8])
    assert _amount(totals[8]) == expected_total == Decimal("84.83")
    wrong = api.get("/api/invoices/sales-book.csv", **{"from": "2026-03-31", "to": "2026-03-01"})
    assert wrong.status_code == 422


def test_the_dashboard_counts_issued_invoices_only(api: Any, quarter: list[Any]) -> None:
    stats = api.ok(api.get("/stats"))
    # February's 40 and March's 84.83 are owed; the band's 44.83 is cancelled by the R invoice.
    assert stats == {"totalInvoices": 4, "issuedThisMonth": 3, "outstandingAmount": "124.83"}


def test_the_list_filters_by_issue_date_series_and_number(api: Any, quarter: list[Any]) -> None:
    def numbers(**params: Any) -> list[str | None]:
        page = api.ok(api.get("/api/invoices", **params))
        return [member["number"] for member in page["member"]]

    assert numbers() == [None, "R2026000001", "S2026000003", "S2026000002", "S2026000001"]
    assert numbers(**{"from": "2026-03-01"}) == ["R2026000001", "S2026000003", "S2026000002"]
    assert numbers(to="2026-02-28") == ["S2026000001"]
    assert numbers(series="R") == ["R2026000001"]
    assert numbers(q="S2026000002") == ["S2026000002"]
    assert numbers(q="2026000001") == ["R2026000001", "S2026000001"]
    assert numbers(q="s2026") == ["S2026000003", "S2026000002", "S2026000001"]
    assert numbers(status=["issued", "draft"])[0] is None
    listed = api.ok(api.get("/api/invoices", series="R"))["member"][0]
    assert listed["rectifies"]["number"] == "S2026000003"
    assert listed["verifactu"]["hash"]
