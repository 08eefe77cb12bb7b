"""Producer contract: every billing event in the outbox matches its contract exactly."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import insert, select

from clinic_billing.infrastructure.tables import customers, outbox
from clinic_shared.clock import utcnow
from clinic_shared.contracts import CONTRACTS, example_payload, validate_payload

pytestmark = pytest.mark.integration

LINE = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "45.00",
    "vatRate": "0",
    "exemption": "health_care",
}
BILLING_EVENTS = ("invoice.issued", "invoice.rectified", "payment.recorded")


def _events(api: Any) -> list[dict[str, Any]]:
    with api.session() as session, session.begin():
        rows = session.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        envelopes = [json.loads(row) for row in rows]
    return [e for e in envelopes if e["type"] in BILLING_EVENTS]


def _customer(api: Any) -> str:
    customer_id = str(uuid.uuid4())
    now = utcnow()
    with api.session() as session, session.begin():
        session.execute(
            insert(customers).values(
                id=customer_id,
                kind="person",
                name="José García Núñez",
                search_name="jose garcia nunez",
                tax_id="12345678Z",
                address="Calle Mayor 1",
                patient_id=str(uuid.uuid4()),
                country="ES",
                language="es",
                active=True,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    return customer_id


def test_the_examples_are_valid() -> None:
    for event_type in BILLING_EVENTS:
        assert event_type in CONTRACTS
        validate_payload(event_type, example_payload(event_type), allow_unknown_fields=False)


def test_issuing_rectifying_and_paying_emit_valid_events(api: Any) -> None:
    body = {"series": "F", "customerId": _customer(api), "lines": [LINE, LINE]}
    draft = api.ok(api.post("/api/invoices", body), 201)
    url = f"/api/invoices/{draft['id']}"
    invoice = api.ok(api.client.post(f"{url}/issue", headers={**api.headers, "If-Match": '"1"'}))
    api.ok(api.post(f"{url}/payments", {"amount": "40.00", "method": "card"}), 201)
    rectify = {"method": "differences", "reasonCode": "R4", "reason": "Una sesión no se hizo"}
    api.ok(api.post(f"{url}/rectify", {**rectify, "lines": [LINE]}), 201)
    anonymous = api.ok(api.post("/api/invoices", {"series": "S", "lines": [LINE]}), 201)
    issue_url = f"/api/invoices/{anonymous['id']}/issue"
    api.ok(api.client.post(issue_url, headers={**api.headers, "If-Match": "*"}))

    events = _events(api)
    assert [e["type"] for e in events] == [
        "invoice.issued",
        "payment.recorded",
        "invoice.rectified",
        "invoice.issued",
    ]
    for event in events:
        assert event["producer"] == "billing"
        validate_payload(event["type"], event["data"], allow_unknown_fields=False)
    issued, paid, rectified, simplified = (e["data"] for e in events)
    assert issued["invoiceId"] == invoice["id"]
    assert (issued["number"], issued["total"], issued["entityVersion"]) == (
        invoice["number"],
        "90.00",
        2,
    )
    assert issued["patientId"] == invoice["patientId"]
    assert (paid["balance"], paid["status"], paid["entityVersion"]) == (
        "50.00",
        "partially_paid",
        3,
    )
    assert (rectified["rectifiesId"], rectified["total"]) == (invoice["id"], "-45.00")
    assert simplified["customerId"] is None
    assert simplified["customerName"]
