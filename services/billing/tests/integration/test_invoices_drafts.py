"""Drafts: hand lines and sessions, reservation of sessions, edits with If-Match, discarding,
the insurer's monthly batch, bad input, 404s, practitioners, Idempotency-Key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select

from clinic_billing.infrastructure.tables import billable_sessions, customers, invoices
from clinic_shared.clock import utcnow
from clinic_shared.text import fold

pytestmark = pytest.mark.integration

SESSION = {
    "description": "Sesión de fisioterapia",
    "quantity": "1",
    "unitPrice": "40",
    "vatRate": "0",
    "exemption": "health_care",
}
BAND = {"description": "Banda elástica", "quantity": 2, "unitPrice": "12.00", "vatRate": "21"}


def customer(api: Any, name: str = "José García Núñez", **changes: Any) -> str:
    """A customer row, as the customers routes would store it."""
    customer_id = str(uuid.uuid4())
    now = utcnow()
    values = {
        "id": customer_id,
        "kind": "person",
        "name": name,
        "search_name": fold(name),
        "tax_id": "12345678Z",
        "address": "Calle Mayor 1",
        "postal_code": "28013",
        "city": "Madrid",
        "province": "Madrid",
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


def billable(api: Any, patient_id: str, starts_at: datetime, **changes: Any) -> str:
    """An uninvoiced session row, as the scheduling events would leave it."""
    session_id = str(uuid.uuid4())
    values = {
        "appointment_id": session_id,
        "patient_id": patient_id,
        "practitioner_id": str(uuid.uuid4()),
        "appointment_type": "follow_up",
        "service_code": "FIS",
        "description": "Sesión de fisioterapia",
        "starts_at": starts_at.astimezone(UTC).replace(tzinfo=None),
        "price": Decimal("40.00"),
        "vat_rate": Decimal(0),
        "exemption": "health_care",
        "status": "uninvoiced",
        "updated_at": utcnow(),
        **changes,
    }
    with api.session() as db, db.begin():
        db.execute(insert(billable_sessions).values(**values))
    return session_id


def session_state(api: Any, session_id: str) -> tuple[str, str | None]:
    with api.session() as db, db.begin():
        row = db.execute(
            select(billable_sessions.c.status, billable_sessions.c.invoice_id).where(
                billable_sessions.c.appointment_id == session_id
            )
        ).one()
    return row.status, row.invoice_id


def fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARCH_9 = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


def test_a_draft_from_hand_lines_has_totals_and_no_number(api: Any) -> None:
    customer_id = customer(api)
    response = api.post(
        "/api/invoices",
        {"series": "F", "customerId": customer_id, "lines": [SESSION, BAND], "notes": "Marzo"},
    )
    draft = api.ok(response, 201)
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/invoices/{draft['id']}"
    assert (draft["status"], draft["number"], draft["issuedOn"]) == ("draft", None, None)
    assert draft["customer"] == {
        "name": "José García Núñez",
        "taxId": "12345678Z",
        "address": "Calle Mayor 1, 28013 Madrid",
        "email": None,
    }
    assert [line["amount"] for line in draft["lines"]] == ["40.00", "24.00"]
    assert draft["lines"][1]["quantity"] == "2.000"
    assert draft["lines"][1]["vatRate"] == "21.00"
    assert [(b["vatRate"], b["base"], b["tax"]) for b in draft["breakdown"]] == [
        ("21.00", "24.00", "5.04"),
        ("0.00", "40.00", "0.00"),
    ]
    assert draft["breakdown"][1]["exemptionText"].startswith("Operación exenta")
    assert (draft["base"], draft["tax"], draft["total"]) == ("64.00", "5.04", "69.04")
    assert (draft["paid"], draft["balance"], draft["verifactu"]) == ("0.00", "0.00", None)
    assert (draft["notes"], draft["language"]) == ("Marzo", "es")
    assert api.ok(api.get(f"/api/invoices/{draft['id']}")) == draft


def test_sessions_come_first_and_are_reserved_until_discarded(api: Any) -> None:
    patient_id = str(uuid.uuid4())
    customer_id = customer(api, patient_id=patient_id)
    later, earlier = billable(api, patient_id, MARCH_9), billable(api, patient_id, MARCH_2)
    body = {"series": "F", "customerId": customer_id, "sessionIds": [later, earlier]}
    draft = api.ok(api.post("/api/invoices", {**body, "lines": [BAND]}), 201)
    assert [line["sessionId"] for line in draft["lines"]] == [earlier, later, None]
    assert draft["lines"][0]["description"] == "Sesión de fisioterapia 02/03/2026"
    assert draft["patientId"] == patient_id
    assert session_state(api, earlier) == ("invoiced", draft["id"])

    # No second draft may take a reserved session.
    assert fields(api.post("/api/invoices", body)) == ["sessionIds"]

    url = f"/api/invoices/{draft['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 204
    assert session_state(api, earlier) == ("uninvoiced", None)
    assert api.get(url).status_code == 404
    assert api.post("/api/invoices", body).status_code == 201


def test_an_edit_needs_the_current_version_and_releases_dropped_sessions(api: Any) -> None:
    patient_id = str(uuid.uuid4())
    customer_id = customer(api, patient_id=patient_id)
    first, second = billable(api, patient_id, MARCH_2), billable(api, patient_id, MARCH_9)
    body = {"series": "F", "customerId": customer_id, "sessionIds": [first, second]}
    draft = api.ok(api.post("/api/invoices", body), 201)
    url = f"/api/invoices/{draft['id']}"
    edit = {**body, "series": "S", "sessionIds": [second], "lines": [BAND]}

    assert api.put(url, edit, if_match=None).status_code == 428
    stale = api.put(url, edit, if_match='"7"')
    assert stale.status_code == 412
    assert stale.json()["currentVersion"] == 1
    response = api.put(url, edit, if_match='"1"')
    edited = api.ok(response)
    assert response.headers["ETag"] == '"2"'
    assert (edited["series"], edited["version"], edited["total"]) == ("S", 2, "69.04")
    assert [line["sessionId"] for line in edited["lines"]] == [second, None]
    assert session_state(api, first) == ("uninvoiced", None)
    assert session_state(api, second) == ("invoiced", draft["id"])
    # A discard with a stale If-Match is refused too; without one it goes through.
    stale_delete = api.client.delete(url, headers={**api.headers, "If-Match": '"1"'})
    assert stale_delete.status_code == 412


def test_the_patients_own_customer_is_made_on_demand(api: Any) -> None:
    patient_id = api.patient()
    draft = api.ok(
        api.post("/api/invoices", {"series": "S", "patientId": patient_id, "lines": [SESSION]}), 201
    )
    assert draft["patientId"] == patient_id
    assert draft["customerId"] is not None
    assert draft["customer"]["name"]
    unknown = api.post(
        "/api/invoices", {"series": "S", "patientId": str(uuid.uuid4()), "lines": [SESSION]}
    )
    assert fields(unknown) == ["patientId"]


def test_sessions_of_another_patient_unknown_or_listed_twice_are_refused(api: Any) -> None:
    patient_id, other = str(uuid.uuid4()), str(uuid.uuid4())
    customer_id = customer(api, patient_id=patient_id)
    theirs = billable(api, other, MARCH_2)
    mine = billable(api, patient_id, MARCH_2)
    for session_ids in ([theirs], [str(uuid.uuid4())], [mine, mine]):
        body = {"series": "F", "customerId": customer_id, "sessionIds": session_ids}
        assert fields(api.post("/api/invoices", body)) == ["sessionIds"]
    reversed_one = billable(api, patient_id, MARCH_9, status="reversed")
    body = {"series": "F", "customerId": customer_id, "sessionIds": [reversed_one]}
    assert fields(api.post("/api/invoices", body)) == ["sessionIds"]
    assert session_state(api, mine) == ("uninvoiced", None)


# One bad value per line, and the field the 422 must name.
BAD_LINES: list[tuple[dict[str, Any], str]] = [
    ({"unitPrice": 40.5}, "lines.0.unitPrice"),
    ({"unitPrice": "40.505"}, "lines.0.unitPrice"),
    ({"unitPrice": "cuarenta"}, "lines.0.unitPrice"),
    ({"unitPrice": "-1"}, "lines.0.unitPrice"),
    ({"quantity": "1.0005"}, "lines.0.quantity"),
    ({"quantity": "0"}, "lines.0.quantity"),
    ({"vatRate": "7"}, "lines.0.vatRate"),
    ({"exemption": None}, "lines.0.exemption"),
    ({"exemption": "charity"}, "lines.0.exemption"),
    ({"discountPercent": "101"}, "lines.0.discountPercent"),
    ({"description": ""}, "lines.0.description"),
    ({"colour": "red"}, "lines.0.colour"),
]


def test_a_bad_line_is_422_naming_its_field(api: Any) -> None:
    # One app for every case: a client per case would cost more than all the requests.
    for change, field in BAD_LINES:
        response = api.post("/api/invoices", {"series": "S", "lines": [{**SESSION, **change}]})
        assert field in fields(response), (change, response.text)


def test_bad_drafts_are_422_naming_the_field(api: Any) -> None:
    assert fields(api.post("/api/invoices", {"series": "R", "lines": [SESSION]})) == ["series"]
    assert fields(api.post("/api/invoices", {"series": "S"})) == ["lines"]
    body = {"series": "F", "customerId": str(uuid.uuid4()), "lines": [SESSION]}
    assert fields(api.post("/api/invoices", body)) == ["customerId"]
    inactive = customer(api, active=False)
    body = {"series": "F", "customerId": inactive, "lines": [SESSION]}
    assert fields(api.post("/api/invoices", body)) == ["customerId"]


def test_unknown_invoices_are_404(api: Any) -> None:
    url = f"/api/invoices/{uuid.uuid4()}"
    body = {"series": "S", "lines": [SESSION]}
    assert api.get(url).status_code == 404
    assert api.put(url, body).status_code == 404
    assert api.client.delete(url, headers=api.headers).status_code == 404
    issue = api.client.post(f"{url}/issue", headers={**api.headers, "If-Match": "*"})
    assert issue.status_code == 404
    rectify = {"method": "differences", "reasonCode": "R4", "reason": "Error"}
    assert api.post(f"{url}/rectify", rectify).status_code == 404
    assert api.post(f"{url}/payments", {"amount": "1", "method": "cash"}).status_code == 404


def test_practitioners_get_403_on_every_invoice_route(api: Any) -> None:
    some_id = str(uuid.uuid4())
    paths = {
        path.replace("{invoice_id}", some_id): operations.keys()
        for path, operations in api.client.app.openapi()["paths"].items()
        if path.startswith("/api/invoices") or path == "/stats"
    }
    assert len(paths) >= 9
    for path, methods in paths.items():
        for method in methods:
            response = api.client.request(method, path, headers=api.practitioner, json={})
            assert response.status_code == 403, (method, path)


def test_a_retried_post_with_an_idempotency_key_creates_one_draft(api: Any) -> None:
    headers = {**api.headers, "Idempotency-Key": "draft-1"}
    body = {"series": "S", "lines": [SESSION]}
    first = api.client.post("/api/invoices", json=body, headers=headers)
    retry = api.client.post("/api/invoices", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    with api.session() as db, db.begin():
        assert len(db.execute(select(invoices.c.id)).all()) == 1


def test_an_insurers_month_becomes_one_draft(api: Any) -> None:
    insurer = customer(api, "Mutua Ejemplo", kind="insurer", tax_id="A58818501")
    ana, luis = str(uuid.uuid4()), str(uuid.uuid4())
    march = [
        billable(api, ana, MARCH_9, payer_id=insurer),
        billable(api, luis, MARCH_2, payer_id=insurer),
    ]
    billable(api, ana, datetime(2026, 4, 1, 8, 0, tzinfo=UTC), payer_id=insurer)
    billable(api, ana, MARCH_2)  # the patient pays this one
    # 31 March 23:30 UTC is already April in Madrid.
    billable(api, ana, datetime(2026, 3, 31, 23, 30, tzinfo=UTC), payer_id=insurer)

    draft = api.ok(api.post("/api/invoices/batch", {"insurerId": insurer, "month": "2026-03"}), 201)
    assert draft["customerId"] == insurer
    assert draft["patientId"] is None
    assert [line["sessionId"] for line in draft["lines"]] == [march[1], march[0]]
    assert draft["total"] == "80.00"
    again = api.post("/api/invoices/batch", {"insurerId": insurer, "month": "2026-03"})
    assert fields(again) == ["month"]
    assert fields(api.post("/api/invoices/batch", {"insurerId": insurer, "month": "2026-13"})) == [
        "month"
    ]
    person = customer(api)
    assert fields(api.post("/api/invoices/batch", {"insurerId": person, "month": "2026-03"})) == [
        "insurerId"
    ]


def test_the_list_searches_names_and_numbers_and_shows_drafts_first(api: Any) -> None:
    garcia = customer(api, "José García Núñez")
    lopez = customer(api, "Lucía López", tax_id="00000000T")
    for customer_id in (garcia, lopez, garcia):
        api.post("/api/invoices", {"series": "F", "customerId": customer_id, "lines": [SESSION]})

    def ids(**params: Any) -> list[str]:
        return [m["customer"]["name"] for m in api.ok(api.get("/api/invoices", **params))["member"]]

    assert ids(q="garcia") == ["José García Núñez"] * 2
    assert ids(q="NUÑ") == ["José García Núñez"] * 2
    assert ids(q="jose garc") == ["José García Núñez"] * 2
    assert ids(q="lucia") == ["Lucía López"]
    assert ids(q="arcia") == []
    assert ids(q="F2026000001") == []
    assert ids(customerId=lopez) == ["Lucía López"]
    assert len(ids(status="draft")) == 3
    assert ids(status="issued") == []
    page = api.ok(api.get("/api/invoices", itemsPerPage=2))
    assert len(page["member"]) == 2
    assert "lines" not in page["member"][0]
    assert page["view"]["next"] is not None
    assert api.get("/api/invoices", **{"from": "2026-03-02", "to": "2026-03-01"}).status_code == 422
