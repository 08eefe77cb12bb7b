"""Issuing: number and date together from the counter, the frozen recipient, the series' rules,
dates that never go backwards, no gap after a failure, and issued invoices that never change."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from clinic_billing.application.issuing_line import IssuingLine
from clinic_billing.infrastructure import chain
from clinic_billing.infrastructure.tables import (
    billable_sessions,
    clinic_settings,
    customers,
    invoice_lines,
    invoices,
    outbox,
    verifactu_records,
)
from clinic_shared.clock import utcnow
from clinic_shared.text import fold

pytestmark = pytest.mark.integration

LINE = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "40.00",
    "vatRate": "0",
    "exemption": "health_care",
}
# 09:00 in Madrid (UTC+1 in March).
MARCH_2 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def at(api: Any, moment: datetime) -> None:
    """Stop the service's clock at ``moment``."""
    app = api.client.app
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)


def customer(api: Any, **changes: Any) -> str:
    customer_id = str(uuid.uuid4())
    now = utcnow()
    values = {
        "id": customer_id,
        "kind": "person",
        "name": "José García Núñez",
        "search_name": fold("José García Núñez"),
        "tax_id": "12345678Z",
        "address": "Calle Mayor 1",
        "postal_code": "28013",
        "city": "Madrid",
        "country": "ES",
        "language": "es",
        "active": True,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **changes,
    }
    with api.session() as db, db.begin():
        db.execute(insert(customers).values(**values))
    return customer_id


def draft(api: Any, series: str = "S", **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = api.ok(
        api.post("/api/invoices", {"series": series, "lines": [LINE], **body}), 201
    )
    return created


def issue(api: Any, invoice_id: str, if_match: str | None = "*") -> Any:
    headers = dict(api.headers)
    if if_match is not None:
        headers["If-Match"] = if_match
    return api.client.post(f"/api/invoices/{invoice_id}/issue", headers=headers)


def issued(api: Any, series: str = "S", **body: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.ok(issue(api, draft(api, series, **body)["id"]))
    return result


@pytest.fixture(autouse=True)
def march(api: Any) -> None:
    at(api, MARCH_2)


def test_issuing_takes_the_number_and_the_date_together(api: Any) -> None:
    customer_id = customer(api)
    created = draft(api, "F", customerId=customer_id, notes="Gracias")
    response = issue(api, created["id"], '"1"')
    invoice = api.ok(response)
    assert response.headers["ETag"] == '"2"'
    assert (invoice["number"], invoice["issuedOn"], invoice["status"]) == (
        "F2026000001",
        "2026-03-02",
        "issued",
    )
    assert (invoice["balance"], invoice["version"]) == ("40.00", 2)
    assert len(invoice["verifactu"]["hash"]) == 64
    assert invoice["verifactu"]["qrUrl"].startswith("https://prewww2.aeat.es/")
    assert api.ok(api.get(f"/api/invoices/{created['id']}")) == invoice
    second = issued(api, "F", customerId=customer_id)
    assert second["number"] == "F2026000002"
    assert issued(api, "S")["number"] == "S2026000001"


def test_the_customer_is_frozen_at_issue(api: Any) -> None:
    customer_id = customer(api)
    created = draft(api, "F", customerId=customer_id)
    with api.session() as db, db.begin():
        db.execute(
            update(customers)
            .where(customers.c.id == customer_id)
            .values(name="José García Núñez-Pérez", address="Calle Nueva 2")
        )
    invoice = api.ok(issue(api, created["id"]))
    assert invoice["customer"]["name"] == "José García Núñez-Pérez"
    assert invoice["customer"]["address"] == "Calle Nueva 2, 28013 Madrid"
    with api.session() as db, db.begin():
        db.execute(update(customers).where(customers.c.id == customer_id).values(name="Otro"))
    assert api.ok(api.get(f"/api/invoices/{created['id']}"))["customer"]["name"] == (
        "José García Núñez-Pérez"
    )


def test_issuing_needs_the_current_version_and_happens_once(api: Any) -> None:
    created = draft(api)
    assert issue(api, created["id"], None).status_code == 428
    assert issue(api, created["id"], '"5"').status_code == 412
    assert issue(api, created["id"], '"1"').status_code == 200
    assert issue(api, created["id"], '"2"').status_code == 409


def test_the_series_rules_are_checked_at_issue(api: Any) -> None:
    def refused(created: dict[str, Any]) -> list[str]:
        response = issue(api, created["id"])
        assert response.status_code == 422, response.text
        return [error["field"] for error in response.json()["errors"]]

    assert refused(draft(api, "F")) == ["customerId"]
    assert refused(draft(api, "F", customerId=customer(api, tax_id=None))) == ["customerId"]
    assert refused(draft(api, "F", customerId=customer(api, address=None))) == ["customerId"]
    big = {**LINE, "unitPrice": "400.01"}
    assert refused(api.ok(api.post("/api/invoices", {"series": "S", "lines": [big]}), 201)) == [
        "series"
    ]
    # Nothing was numbered by the refusals.
    assert issued(api)["number"] == "S2026000001"


def test_the_clinic_must_have_a_tax_id_to_issue(api: Any) -> None:
    created = draft(api)
    with api.session() as db, db.begin():
        db.execute(update(clinic_settings).values(tax_id=""))
    refused = issue(api, created["id"])
    assert refused.status_code == 409
    assert refused.json()["code"] == "settings_incomplete"  # the SPA's message hangs on it


def test_issue_dates_never_go_backwards_and_a_new_year_starts_at_one(api: Any) -> None:
    assert issued(api)["issuedOn"] == "2026-03-02"
    at(api, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    late = draft(api)
    assert issue(api, late["id"]).status_code == 409
    at(api, datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert issued(api)["number"] == "S2026000002"
    # 23:30 UTC on New Year's Eve is already 2027 in Madrid: the clinic's date counts.
    at(api, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    new_year = issued(api)
    assert (new_year["number"], new_year["issuedOn"]) == ("S2027000001", "2027-01-01")
    at(api, datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    assert issue(api, draft(api)["id"]).status_code == 409
    assert api.ok(api.get("/api/invoices/number-gaps", year=2026))["gaps"] == []


def test_a_clock_set_back_never_stamps_an_issue_before_the_one_before_it(api: Any) -> None:
    first = issued(api)
    at(api, MARCH_2.replace(second=0) - timedelta(seconds=4))  # the server's clock set back
    second = issued(api)
    with api.session() as db, db.begin():
        moments = dict(db.execute(select(invoices.c.number, invoices.c.issued_at)).all())
        records = db.execute(select(verifactu_records.c.number, verifactu_records.c.generated_at))
        generated = dict(records.all())
    # Not four seconds earlier: a microsecond after the one before (its record, to the second).
    assert moments["S2026000002"] - moments["S2026000001"] == timedelta(microseconds=1)
    assert generated["S2026000002"] == generated["S2026000001"]
    at(api, MARCH_2 + timedelta(minutes=5))  # and forward again as usual
    assert issued(api)["number"] == "S2026000003"
    listed = api.ok(api.get("/api/invoices"))["member"]
    assert [m["number"] for m in listed] == ["S2026000003", second["number"], first["number"]]


class InjectedError(RuntimeError):
    """A failure after the number was taken."""


def _failing_issue(api: Any, invoice_id: str) -> None:
    try:
        response = issue(api, invoice_id)
    except InjectedError:
        return
    assert response.status_code == 500


def test_a_failure_after_the_number_was_taken_leaves_no_gap(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert issued(api)["number"] == "S2026000001"
    failing = draft(api)

    def broken_append(*_args: Any, **_kwargs: Any) -> None:
        raise InjectedError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(chain, "append", broken_append)
        _failing_issue(api, failing["id"])

    class BrokenOutbox:
        def add(self, *_args: Any) -> None:
            raise InjectedError("the outbox table is gone")

    services = api.client.app.state.services
    broken = BrokenOutbox()
    line = IssuingLine(services.new_session, broken, services.zone)  # type: ignore[arg-type]
    api.client.app.state.services = dataclasses.replace(services, events=broken, issuing=line)
    _failing_issue(api, failing["id"])
    api.client.app.state.services = services

    still = api.ok(api.get(f"/api/invoices/{failing['id']}"))
    assert (still["status"], still["number"], still["verifactu"]) == ("draft", None, None)
    assert issued(api)["number"] == "S2026000002"
    assert api.ok(issue(api, failing["id"]))["number"] == "S2026000003"
    report = api.ok(api.get("/api/invoices/chain/verify"))
    assert (report["ok"], report["records"]) == (True, 3)


def test_issuing_marks_the_sessions_invoiced_and_publishes_the_event(api: Any) -> None:
    patient_id = str(uuid.uuid4())
    customer_id = customer(api, patient_id=patient_id)
    session_id = str(uuid.uuid4())
    with api.session() as db, db.begin():
        db.execute(
            insert(billable_sessions).values(
                appointment_id=session_id,
                patient_id=patient_id,
                practitioner_id=str(uuid.uuid4()),
                description="Sesión de fisioterapia",
                starts_at=datetime(2026, 3, 1, 9, 0),
                price="40.00",
                vat_rate="0",
                exemption="health_care",
                status="uninvoiced",
                updated_at=utcnow(),
            )
        )
    invoice = issued(api, "F", customerId=customer_id, sessionIds=[session_id])
    with api.session() as db, db.begin():
        state = db.execute(
            select(billable_sessions.c.status, billable_sessions.c.invoice_id).where(
                billable_sessions.c.appointment_id == session_id
            )
        ).one()
        payloads = db.execute(
            select(outbox.c.payload).where(outbox.c.event_type == "invoice.issued")
        ).scalars()
        events = [json.loads(payload)["data"] for payload in payloads]
    assert tuple(state) == ("invoiced", invoice["id"])
    assert [(e["number"], e["sessionIds"], e["patientId"]) for e in events] == [
        ("F2026000001", [session_id], patient_id)
    ]
    # The answer is built from what the issue wrote, not read back: it is what a read shows.
    assert api.ok(api.get(f"/api/invoices/{invoice['id']}")) == invoice


def test_the_issue_answer_is_the_stored_invoice_for_mixed_rates_and_a_frozen_recipient(
    api: Any,
) -> None:
    customer_id = customer(api, name="Seguros Íñigo S.A.", tax_id="A58818501", kind="company")
    product = {**LINE, "description": "Banda elástica", "quantity": "3", "unitPrice": "4.95",
               "vatRate": "21", "exemption": None}  # fmt: skip
    created = draft(api, "F", customerId=customer_id, lines=[LINE, product], notes="Gracias")
    with api.session() as db, db.begin():  # renamed after the draft: the issue freezes this
        db.execute(
            customers.update().where(customers.c.id == customer_id).values(name="Íñigo S.L.")
        )

    response = issue(api, created["id"], '"1"')
    answer = api.ok(response)

    assert answer["customer"]["name"] == "Íñigo S.L."
    assert (answer["base"], answer["tax"], answer["total"]) == ("54.85", "3.12", "57.97")
    stored = api.client.get(f"/api/invoices/{created['id']}", headers=api.headers)
    assert stored.json() == answer
    assert stored.headers["ETag"] == response.headers["ETag"]


def _frozen(api: Any, invoice_id: str) -> tuple[Any, ...]:
    """What must never change on an issued invoice: its number, dates, amounts, lines."""
    with api.session() as db, db.begin():
        header = db.execute(
            select(
                invoices.c.series,
                invoices.c.number,
                invoices.c.issued_on,
                invoices.c.base,
                invoices.c.tax,
                invoices.c.total,
                invoices.c.customer_name,
                invoices.c.customer_tax_id,
                invoices.c.customer_address,
            ).where(invoices.c.id == invoice_id)
        ).one()
        lines = db.execute(
            select(invoice_lines).where(invoice_lines.c.invoice_id == invoice_id)
        ).all()
    return tuple(header), tuple(tuple(line) for line in lines)


def test_no_route_changes_an_issued_invoice(api: Any) -> None:
    customer_id = customer(api)
    invoice = issued(api, "F", customerId=customer_id)
    before = _frozen(api, invoice["id"])
    bodies = [
        {},
        {"series": "F", "customerId": customer_id, "lines": [{**LINE, "unitPrice": "1"}]},
        {"series": "S", "lines": [{**LINE, "unitPrice": "1"}]},
        {"method": "substitution", "reasonCode": "R1", "reason": "Precio", "lines": [LINE]},
        {"method": "differences", "reasonCode": "R4", "reason": "Anulación"},
        {"amount": "10.00", "method": "cash"},
    ]
    statuses = set()
    for path, operations in api.client.app.openapi()["paths"].items():
        if not path.startswith("/api/invoices/{invoice_id}"):
            continue
        url = path.replace("{invoice_id}", invoice["id"])
        for method in operations.keys() - {"get"}:
            for body in bodies:
                headers = {**api.headers, "If-Match": "*"}
                response = api.client.request(method, url, json=body, headers=headers)
                statuses.add((method, path, response.status_code))
                assert response.status_code < 500, response.text
    assert ("put", "/api/invoices/{invoice_id}", 409) in statuses
    assert ("delete", "/api/invoices/{invoice_id}", 409) in statuses
    assert ("post", "/api/invoices/{invoice_id}/issue", 409) in statuses
    assert _frozen(api, invoice["id"]) == before
    after = api.ok(api.get(f"/api/invoices/{invoice['id']}"))
    assert (after["number"], after["total"], after["issuedOn"]) == (
        invoice["number"],
        invoice["total"],
        invoice["issuedOn"],
    )
    assert after["verifactu"] == invoice["verifactu"]
    assert date.fromisoformat(after["issuedOn"]) == date(2026, 3, 2)
