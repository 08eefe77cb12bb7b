"""Payments: partial then full, never above the balance, never on a draft, dated sensibly, and
two at once never overpay."""

from __future__ import annotations

import dataclasses
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from clinic_billing.infrastructure.tables import outbox

pytestmark = pytest.mark.integration

LINE = {
    "description": "Bono de 2 sesiones",
    "quantity": "2",
    "unitPrice": "45.00",
    "vatRate": "0",
    "exemption": "health_care",
}


@pytest.fixture(autouse=True)
def march(api: Any) -> None:
    app = api.client.app
    moment = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)


def draft(api: Any) -> dict[str, Any]:
    created: dict[str, Any] = api.ok(
        api.post("/api/invoices", {"series": "S", "lines": [LINE]}), 201
    )
    return created


def issued(api: Any) -> dict[str, Any]:
    url = f"/api/invoices/{draft(api)['id']}/issue"
    result: dict[str, Any] = api.ok(api.client.post(url, headers={**api.headers, "If-Match": "*"}))
    return result


def pay(api: Any, invoice_id: str, **body: Any) -> Any:
    return api.post(f"/api/invoices/{invoice_id}/payments", {"method": "card", **body})


def field(response: Any) -> str:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert len(errors) == 1
    name: str = errors[0]["field"]
    return name


def test_a_partial_then_a_full_payment(api: Any) -> None:
    invoice = issued(api)
    assert invoice["balance"] == "90.00"
    response = pay(api, invoice["id"], amount="40", paidOn="2026-03-10")
    first = api.ok(response, 201)
    assert response.headers["ETag"] == '"3"'
    assert (first["status"], first["paid"], first["balance"]) == (
        "partially_paid",
        "40.00",
        "50.00",
    )
    second = api.ok(pay(api, invoice["id"], amount=50, method="bizum"), 201)
    assert (second["status"], second["balance"], second["version"]) == ("paid", "0.00", 4)
    assert [(p["amount"], p["method"], p["paidOn"]) for p in second["payments"]] == [
        ("40.00", "card", "2026-03-10"),
        ("50.00", "bizum", "2026-03-10"),
    ]
    assert pay(api, invoice["id"], amount="1").status_code == 409
    with api.session() as db, db.begin():
        payloads = db.execute(
            select(outbox.c.payload).where(outbox.c.event_type == "payment.recorded")
        ).scalars()
        events = [json.loads(payload)["data"] for payload in payloads]
    assert [(e["amount"], e["balance"], e["status"]) for e in events] == [
        ("40.00", "50.00", "partially_paid"),
        ("50.00", "0.00", "paid"),
    ]


def test_payments_are_refused_on_drafts_and_above_the_balance(api: Any) -> None:
    assert pay(api, draft(api)["id"], amount="10").status_code == 409
    invoice = issued(api)
    assert field(pay(api, invoice["id"], amount="90.01")) == "amount"
    assert field(pay(api, invoice["id"], amount=10.5)) == "amount"
    assert field(pay(api, invoice["id"], amount="10.001")) == "amount"
    assert field(pay(api, invoice["id"], amount="0")) == "amount"
    assert field(pay(api, invoice["id"], amount="-5")) == "amount"
    assert field(pay(api, invoice["id"], amount="10", method="cheque")) == "method"
    assert field(pay(api, invoice["id"], amount="10", paidOn="2026-03-09")) == "paidOn"
    assert field(pay(api, invoice["id"], amount="10", paidOn="2026-03-11")) == "paidOn"
    assert api.ok(api.get(f"/api/invoices/{invoice['id']}"))["payments"] == []


def test_two_payments_at_once_never_overpay(api: Any) -> None:
    invoice = issued(api)
    start = threading.Barrier(2)

    def attempt(_: int) -> int:
        start.wait()
        return int(pay(api, invoice["id"], amount="60").status_code)

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(attempt, range(2))) == [201, 422]
    assert api.ok(api.get(f"/api/invoices/{invoice['id']}"))["paid"] == "60.00"


def test_outstanding_invoices_are_listed_and_counted(api: Any) -> None:
    paid, partly, untouched = issued(api), issued(api), issued(api)
    pay(api, paid["id"], amount="90")
    pay(api, partly["id"], amount="30")
    members = api.ok(api.get("/api/invoices", outstanding="true"))["member"]
    assert {m["id"] for m in members} == {partly["id"], untouched["id"]}
    stats = api.ok(api.get("/stats"))
    assert stats == {"totalInvoices": 3, "issuedThisMonth": 3, "outstandingAmount": "150.00"}


def test_a_patients_balance_counts_their_invoices_whoever_pays(api: Any) -> None:
    patient, other = api.patient(), api.patient()

    def for_patient(who: str) -> dict[str, Any]:
        body = {"series": "S", "patientId": who, "lines": [LINE]}
        created = api.ok(api.post("/api/invoices", body), 201)
        url = f"/api/invoices/{created['id']}/issue"
        issued: dict[str, Any] = api.ok(
            api.client.post(url, headers={**api.headers, "If-Match": "*"})
        )
        return issued

    first, second = for_patient(patient), for_patient(patient)
    for_patient(other)
    api.ok(api.post("/api/invoices", {"series": "S", "patientId": patient, "lines": [LINE]}), 201)
    pay(api, first["id"], amount="90")
    pay(api, second["id"], amount="25.50")
    balance = api.ok(api.get("/api/invoices/balance", patientId=patient))
    assert balance == {"patientId": patient, "issuedInvoices": 2, "outstanding": "64.50"}
    nobody = api.ok(api.get("/api/invoices/balance", patientId=api.patient()))
    assert (nobody["issuedInvoices"], nobody["outstanding"]) == (0, "0.00")
    assert api.get("/api/invoices/balance", patientId="nope").status_code == 422
