"""Rectifying invoices: cancelling in full, substituting, R5 for simplified ones only, and the
original untouched but pointing at its corrections."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from clinic_billing.infrastructure.tables import customers, outbox, verifactu_records
from clinic_shared.clock import utcnow

pytestmark = pytest.mark.integration

LINE = {
    "description": "Sesión de fisioterapia",
    "quantity": "2",
    "unitPrice": "40.00",
    "vatRate": "0",
    "exemption": "health_care",
}


@pytest.fixture(autouse=True)
def march(api: Any) -> None:
    app = api.client.app
    moment = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)


def issued(api: Any, series: str = "F") -> dict[str, Any]:
    body: dict[str, Any] = {"series": series, "lines": [LINE]}
    if series == "F":
        customer_id = str(uuid.uuid4())
        now = utcnow()
        with api.session() as db, db.begin():
            db.execute(
                insert(customers).values(
                    id=customer_id,
                    kind="person",
                    name="Lucía López",
                    search_name="lucia lopez",
                    tax_id="00000000T",
                    address="Calle Mayor 1",
                    country="ES",
                    language="es",
                    active=True,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
        body["customerId"] = customer_id
    draft = api.ok(api.post("/api/invoices", body), 201)
    url = f"/api/invoices/{draft['id']}/issue"
    result: dict[str, Any] = api.ok(api.client.post(url, headers={**api.headers, "If-Match": "*"}))
    return result


def rectify(api: Any, invoice_id: str, **body: Any) -> Any:
    request = {"method": "differences", "reasonCode": "R4", "reason": "Sesión no realizada", **body}
    return api.post(f"/api/invoices/{invoice_id}/rectify", request)


def test_a_differences_rectification_without_lines_cancels_in_full(api: Any) -> None:
    original = issued(api)
    response = rectify(api, original["id"])
    correction = api.ok(response, 201)
    assert response.headers["Location"] == f"/api/invoices/{correction['id']}"
    assert (correction["series"], correction["number"], correction["status"]) == (
        "R",
        "R2026000001",
        "issued",
    )
    assert (correction["base"], correction["total"], correction["balance"]) == (
        "-80.00",
        "-80.00",
        "-80.00",
    )
    assert correction["lines"][0]["quantity"] == "-2.000"
    assert correction["rectifies"] == {
        "id": original["id"],
        "number": "F2026000001",
        "issuedOn": "2026-03-05",
    }
    assert correction["rectification"] == {
        "method": "differences",
        "reasonCode": "R4",
        "reason": "Sesión no realizada",
    }
    assert correction["customer"] == original["customer"]
    after = api.ok(api.get(f"/api/invoices/{original['id']}"))
    assert after["rectifiedBy"] == [{"id": correction["id"], "number": "R2026000001"}]
    assert {k: v for k, v in after.items() if k != "rectifiedBy"} == {
        k: v for k, v in original.items() if k != "rectifiedBy"
    }
    # The two net out: nothing is owed any more, and no payment fits the correction.
    assert api.ok(api.get("/stats"))["outstandingAmount"] == "0.00"
    assert (
        api.post(
            f"/api/invoices/{correction['id']}/payments", {"amount": "1", "method": "cash"}
        ).status_code
        == 409
    )
    with api.session() as db, db.begin():
        kinds = db.execute(
            select(verifactu_records.c.number, verifactu_records.c.invoice_type).order_by(
                verifactu_records.c.position
            )
        ).all()
        payloads = db.execute(
            select(outbox.c.payload).where(outbox.c.event_type == "invoice.rectified")
        ).scalars()
        events = [json.loads(payload)["data"] for payload in payloads]
    assert [tuple(k) for k in kinds] == [("F2026000001", "F1"), ("R2026000001", "R4")]
    assert [(e["rectifiesNumber"], e["total"], e["method"]) for e in events] == [
        ("F2026000001", "-80.00", "differences")
    ]


def test_a_substitution_carries_the_corrected_invoice_in_full(api: Any) -> None:
    original = issued(api)
    corrected = {**LINE, "quantity": "1"}
    body = {"method": "substitution", "reasonCode": "R1", "lines": [corrected]}
    correction = api.ok(rectify(api, original["id"], **body), 201)
    assert (correction["total"], correction["rectification"]["method"]) == ("40.00", "substitution")
    assert [line["quantity"] for line in correction["lines"]] == ["1.000"]
    # It replaces the original: 40 owed in all, not 120.
    assert api.ok(api.get("/stats"))["outstandingAmount"] == "40.00"


def test_differences_with_corrected_lines_deduct_and_add(api: Any) -> None:
    original = issued(api)
    corrected = {**LINE, "quantity": "1", "unitPrice": "35.00"}
    correction = api.ok(rectify(api, original["id"], lines=[corrected]), 201)
    assert [line["amount"] for line in correction["lines"]] == ["-80.00", "35.00"]
    assert correction["total"] == "-45.00"


def test_r5_is_for_simplified_invoices_and_only_for_them(api: Any) -> None:
    ordinary, simplified = issued(api), issued(api, "S")
    for invoice_id, code in ((ordinary["id"], "R5"), (simplified["id"], "R1")):
        response = rectify(api, invoice_id, reasonCode=code)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "reasonCode"
    correction = api.ok(rectify(api, simplified["id"], reasonCode="R5"), 201)
    assert correction["number"] == "R2026000001"


def test_what_cannot_be_rectified(api: Any) -> None:
    draft = api.ok(api.post("/api/invoices", {"series": "S", "lines": [LINE]}), 201)
    assert rectify(api, draft["id"]).status_code == 409
    original = issued(api)
    response = rectify(api, original["id"], method="substitution")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines"
    for body in ({"reason": ""}, {"reasonCode": "R9"}, {"method": "undo"}):
        assert rectify(api, original["id"], **body).status_code == 422
    assert rectify(api, str(uuid.uuid4())).status_code == 404
    # None of the refusals took a number.
    assert api.ok(rectify(api, original["id"]), 201)["number"] == "R2026000001"
