"""The Verifactu chain as stored: hashes AEAT can recompute, a QR URL, and a verification (API
and CLI) that names the first record someone altered, removed or whose invoice was edited."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import delete, select, update

from clinic_billing.cli import run
from clinic_billing.config import BillingSettings
from clinic_billing.domain.verifactu import AltaRecord, hash_input, record_hash
from clinic_billing.infrastructure.tables import invoices, verifactu_records
from clinic_shared.cli import CliError

pytestmark = pytest.mark.integration

LINE = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "40.00",
    "vatRate": "0",
    "exemption": "health_care",
}
BAND = {"description": "Banda elástica", "quantity": "1", "unitPrice": "12.00", "vatRate": "21"}


def issued(api: Any, lines: list[dict[str, Any]]) -> dict[str, Any]:
    draft = api.ok(api.post("/api/invoices", {"series": "S", "lines": lines}), 201)
    url = f"/api/invoices/{draft['id']}/issue"
    result: dict[str, Any] = api.ok(api.client.post(url, headers={**api.headers, "If-Match": "*"}))
    return result


@pytest.fixture
def three(api: Any) -> list[dict[str, Any]]:
    """Three invoices issued on 2 March 2026 at 10:15:30 in Madrid."""
    app = api.client.app
    moment = datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=UTC)
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)
    return [issued(api, [LINE]), issued(api, [LINE, BAND]), issued(api, [BAND])]


def verify(api: Any) -> dict[str, Any]:
    report: dict[str, Any] = api.ok(api.get("/api/invoices/chain/verify"))
    return report


def test_each_record_hashes_the_fields_aeat_specifies(api: Any, three: list[Any]) -> None:
    with api.session() as db, db.begin():
        rows = db.execute(select(verifactu_records).order_by(verifactu_records.c.position)).all()
    assert [row.position for row in rows] == [1, 2, 3]
    second = rows[1]
    record = AltaRecord(
        issuer_tax_id="B12345674",
        number="S2026000002",
        issued_on=date(2026, 3, 2),
        invoice_type="F2",
        tax_total=Decimal("2.52"),
        total=Decimal("54.52"),
        generated_at=datetime.fromisoformat("2026-03-02T10:15:30+01:00"),
        previous_hash=rows[0].hash,
    )
    assert hash_input(record) == (
        "IDEmisorFactura=B12345674&NumSerieFactura=S2026000002"
        "&FechaExpedicionFactura=02-03-2026&TipoFactura=F2&CuotaTotal=2.52"
        f"&ImporteTotal=54.52&Huella={rows[0].hash}"
        "&FechaHoraHusoGenRegistro=2026-03-02T10:15:30+01:00"
    )
    assert second.hash == record_hash(record) == three[1]["verifactu"]["hash"]
    assert second.generated_at == "2026-03-02T10:15:30+01:00"
    assert rows[0].previous_hash == ""
    query = parse_qs(urlsplit(three[1]["verifactu"]["qrUrl"]).query)
    assert query == {
        "nif": ["B12345674"],
        "numserie": ["S2026000002"],
        "fecha": ["02-03-2026"],
        "importe": ["54.52"],
    }


def test_an_intact_chain_verifies(api: Any, three: list[Any], settings: BillingSettings) -> None:
    assert verify(api) == {"ok": True, "records": 3, "issuers": 1, "firstBreak": None}
    assert run(["verify-chain"], settings) == "Verifactu chain intact: 3 records of 1 issuer(s)"


def test_an_altered_amount_in_a_record_is_caught_at_that_record(
    api: Any, three: list[Any], settings: BillingSettings
) -> None:
    with api.session() as db, db.begin():
        db.execute(
            update(verifactu_records)
            .where(verifactu_records.c.position == 2)
            .values(total=Decimal("5.45"))
        )
    report = verify(api)
    assert report["ok"] is False
    found = report["firstBreak"]
    assert (found["position"], found["number"], found["reason"]) == (2, "S2026000002", "hash")
    with pytest.raises(CliError, match="S2026000002"):
        run(["verify-chain"], settings)


def test_an_edited_invoice_total_is_caught_at_its_record(api: Any, three: list[Any]) -> None:
    with api.session() as db, db.begin():
        db.execute(
            update(invoices).where(invoices.c.number == "S2026000003").values(total=Decimal("1.00"))
        )
    found = verify(api)["firstBreak"]
    assert (found["position"], found["reason"]) == (3, "hash")
    assert "total" in found["message"]


def test_a_removed_record_breaks_the_link_of_the_next(api: Any, three: list[Any]) -> None:
    with api.session() as db, db.begin():
        db.execute(delete(verifactu_records).where(verifactu_records.c.position == 2))
    found = verify(api)["firstBreak"]
    assert (found["position"], found["number"], found["reason"]) == (3, "S2026000003", "link")


def test_a_removed_last_record_is_caught_by_the_head(api: Any, three: list[Any]) -> None:
    with api.session() as db, db.begin():
        db.execute(delete(verifactu_records).where(verifactu_records.c.position == 3))
    found = verify(api)["firstBreak"]
    assert (found["position"], found["reason"]) == (3, "link")
    # Nothing more is chained onto a chain whose end is gone.
    draft = api.ok(api.post("/api/invoices", {"series": "S", "lines": [LINE]}), 201)
    url = f"/api/invoices/{draft['id']}/issue"
    assert api.client.post(url, headers={**api.headers, "If-Match": "*"}).status_code == 409


def test_no_invoice_means_an_empty_intact_chain(api: Any) -> None:
    assert verify(api) == {"ok": True, "records": 0, "issuers": 0, "firstBreak": None}
