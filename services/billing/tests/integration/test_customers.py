"""Customers: tax ids, kinds and links, accent-insensitive search, balances, deletion."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select

from clinic_billing.application.customers import ensure_patient_customer
from clinic_billing.infrastructure.tables import billable_sessions, invoice_lines, invoices
from clinic_shared.errors import FieldError

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0)


def person(**changes: Any) -> dict[str, Any]:
    return {"kind": "person", "name": "José García Núñez", "taxId": "12345678Z", **changes}


def created(api: Any, **changes: Any) -> dict[str, Any]:
    return api.ok(api.post("/api/customers", person(**changes)), 201)


def invoice(api: Any, customer_id: str, status: str, total: str = "0", paid: str = "0") -> str:
    """An invoice row made out to the customer, as the invoice use cases would leave it."""
    invoice_id = str(uuid.uuid4())
    with api.session() as db, db.begin():
        db.execute(
            insert(invoices).values(
                id=invoice_id,
                series="F",
                status=status,
                customer_id=customer_id,
                customer_name="X",
                customer_search="x",
                language="es",
                base=Decimal(total),
                tax=Decimal(0),
                total=Decimal(total),
                paid=Decimal(paid),
                version=1,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    return invoice_id


def problem_fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_a_person_is_created_with_a_compact_tax_id(api) -> None:
    response = api.post("/api/customers", person(taxId=" 12.345.678-z ", email="JOSE@Example.es"))
    body = api.ok(response, 201)
    assert response.headers["Location"] == f"/api/customers/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body == {
        **body,
        "kind": "person",
        "taxId": "12345678Z",
        "email": "jose@example.es",
        "country": "ES",
        "language": "es",
        "patientId": None,
        "insurerId": None,
        "insurerName": None,
        "active": True,
        "outstanding": "0.00",
        "version": 1,
    }
    fetched = api.get(f"/api/customers/{body['id']}")
    assert api.ok(fetched) == body
    assert fetched.headers["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("tax_id", "stored"),
    [("B12345674", "B12345674"), ("ESB12345674", "B12345674"), ("X1234567L", "X1234567L")],
)
def test_companies_and_foreigners_have_cif_nie_or_eu_vat(api, tax_id: str, stored: str) -> None:
    body = created(api, kind="company", name="Empresa S.L.", taxId=tax_id)
    assert body["taxId"] == stored
    french = created(api, kind="company", name="Société", taxId="FR 40 303 265 045")
    assert french["taxId"] == "FR40303265045"


@pytest.mark.parametrize("tax_id", ["12345678A", "X1234567A", "B12345670", "hello"])
def test_a_wrong_tax_id_is_422_naming_it(api, tax_id: str) -> None:
    response = api.post("/api/customers", person(taxId=tax_id))
    assert response.status_code == 422
    assert problem_fields(response) == ["taxId"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "alien"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "Ana\u202eGil"}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"country": "Spain"}, "country"),
        ({"language": "fr"}, "language"),
        ({"patientId": "nope"}, "patientId"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, changes: dict[str, Any], field: str) -> None:
    response = api.post("/api/customers", person(**changes))
    assert response.status_code == 422, response.text
    assert field in problem_fields(response)


def test_blank_optional_fields_mean_none(api) -> None:
    body = created(api, taxId="", email=" ", address="", city="")
    assert [body[f] for f in ("taxId", "email", "address", "city")] == [None] * 4


def test_the_search_ignores_accents_and_case_and_matches_word_prefixes(api) -> None:
    jose = created(api)
    ana = created(api, name="Ana Martínez", taxId=None)
    garci = created(api, kind="company", name="Garcilaso Vega, S.L.", taxId="B12345674")

    def names(**params: Any) -> list[str]:
        return [c["name"] for c in api.ok(api.get("/api/customers", **params))["member"]]

    assert names(q="garcia") == [jose["name"]]
    assert names(q="NUÑEZ jos") == [jose["name"]]
    assert names(q="gar") == [garci["name"], jose["name"]]  # by folded name
    assert names(q="martinez") == [ana["name"]]
    assert names(q="tinez") == []  # a prefix of a word, not any substring
    assert names(q="1234") == [jose["name"]]  # the tax id
    assert names(q="b1234") == [garci["name"]]
    assert names(q="gar", kind="company") == [garci["name"]]
    assert names(q="100%_") == []
    assert names() == [ana["name"], garci["name"], jose["name"]]


def test_pages_fetch_one_more_to_know_whether_a_next_exists(api) -> None:
    for name in ("Ana", "Berta", "Carla"):
        created(api, name=name, taxId=None)
    first = api.ok(api.get("/api/customers", itemsPerPage=2))
    assert [c["name"] for c in first["member"]] == ["Ana", "Berta"]
    assert first["view"]["next"] == "/api/customers?page=2&itemsPerPage=2"
    second = api.ok(api.get("/api/customers", page=2, itemsPerPage=2))
    assert [c["name"] for c in second["member"]] == ["Carla"]
    assert second["view"]["next"] is None
    assert api.get("/api/customers", itemsPerPage=101).status_code == 422


def test_an_insurer_pays_a_persons_sessions(api) -> None:
    mutua = created(api, kind="insurer", name="Mutua Demo", taxId="B12345674")
    company = created(api, kind="company", name="Empresa", taxId=None)
    insured = created(api, insurerId=mutua["id"])
    assert (insured["insurerId"], insured["insurerName"]) == (mutua["id"], "Mutua Demo")
    for insurer_id in (company["id"], str(uuid.uuid4())):
        response = api.post("/api/customers", person(insurerId=insurer_id))
        assert (response.status_code, problem_fields(response)) == (422, ["insurerId"])
    response = api.post("/api/customers", {**person(), "kind": "company", "insurerId": mutua["id"]})
    assert (response.status_code, problem_fields(response)) == (422, ["insurerId"])
    listed = api.ok(api.get("/api/customers", kind="person"))["member"]
    assert listed[0]["insurerName"] == "Mutua Demo"


def test_an_insurer_in_use_keeps_its_kind_and_is_not_deleted(api) -> None:
    mutua = created(api, kind="insurer", name="Mutua Demo", taxId=None)
    insured = created(api, insurerId=mutua["id"])
    as_company = {"kind": "company", "name": "Mutua Demo"}
    assert api.put(f"/api/customers/{mutua['id']}", as_company).status_code == 409
    assert (
        api.client.delete(f"/api/customers/{mutua['id']}", headers=api.headers).status_code == 409
    )
    api.ok(api.put(f"/api/customers/{insured['id']}", person()))
    assert (
        api.client.delete(f"/api/customers/{mutua['id']}", headers=api.headers).status_code == 204
    )


def test_a_put_needs_the_current_version(api) -> None:
    body = created(api)
    url = f"/api/customers/{body['id']}"
    assert api.put(url, person(), if_match=None).status_code == 428
    assert api.put(url, person(), if_match='"7"').status_code == 412
    response = api.put(url, person(name="José García", address="Calle Mayor 1"), if_match='"1"')
    changed = api.ok(response)
    assert (changed["version"], changed["address"], response.headers["ETag"]) == (
        2,
        "Calle Mayor 1",
        '"2"',
    )
    assert api.ok(api.get("/api/customers", q="garcia"))["member"][0]["name"] == "José García"
    assert api.put(f"/api/customers/{uuid.uuid4()}", person()).status_code == 404


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("+34910000000", "910 00 00 00"),
        ("+34 612 34 56 78", "612 34 56 78"),
        ("+442079460958", "+44 20 7946 0958"),
        ("123", "123"),  # not a number the library reads: shown as stored
    ],
)
def test_the_phone_is_also_shown_grouped_read_only(api, phone: str, shown: str) -> None:
    body = created(api, phone=phone)
    assert (body["phone"], body["phoneDisplay"]) == (phone, shown)
    url = f"/api/customers/{body['id']}"
    assert api.ok(api.get(url))["phoneDisplay"] == shown
    assert api.ok(api.get("/api/customers", q="garcia"))["member"][0]["phoneDisplay"] == shown
    # The read-only field is not part of a body: the form's fields PUT back, an echo of it is 422.
    read_only = {"id", "insurerName", "outstanding", "version", "phoneDisplay", "patientId"}
    editable = {key: value for key, value in body.items() if key not in read_only}
    echoed = api.put(url, {**editable, "phoneDisplay": shown}, if_match='"1"')
    assert (echoed.status_code, problem_fields(echoed)) == (422, ["phoneDisplay"])
    saved = api.ok(api.put(url, editable, if_match='"1"'))
    assert (saved["version"], saved["phoneDisplay"]) == (2, shown)


def test_outstanding_is_what_issued_invoices_still_owe(api) -> None:
    body = created(api)
    invoice(api, body["id"], "issued", total="100.00")
    invoice(api, body["id"], "partially_paid", total="50.00", paid="10.50")
    invoice(api, body["id"], "paid", total="40.00", paid="40.00")
    invoice(api, body["id"], "draft", total="999.00")
    assert api.ok(api.get(f"/api/customers/{body['id']}"))["outstanding"] == "139.50"
    listed = api.ok(api.get("/api/customers", q="garcia"))["member"]
    assert listed[0]["outstanding"] == "139.50"


def test_a_customer_without_issued_invoices_is_deleted_with_its_drafts(api) -> None:
    patient_id = api.patient()
    session_id = api.completed(patient_id)
    body = created(api, patientId=patient_id)
    draft = invoice(api, body["id"], "draft", total="40.00")
    with api.session() as db, db.begin():
        db.execute(
            insert(invoice_lines).values(
                invoice_id=draft,
                position=1,
                description="Sesión",
                quantity=Decimal(1),
                unit_price=Decimal(40),
                discount_percent=Decimal(0),
                vat_rate=Decimal(0),
                exemption="health_care",
                amount=Decimal(40),
                session_id=session_id,
            )
        )
        db.execute(
            billable_sessions.update()
            .where(billable_sessions.c.appointment_id == session_id)
            .values(status="invoiced", invoice_id=draft)
        )
    url = f"/api/customers/{body['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 204
    assert api.get(url).status_code == 404
    with api.session() as db, db.begin():
        assert db.execute(select(invoices).where(invoices.c.id == draft)).first() is None
        row = db.execute(
            select(billable_sessions).where(billable_sessions.c.appointment_id == session_id)
        ).one()
    assert (row.status, row.invoice_id) == ("uninvoiced", None)
    assert api.client.delete(url, headers=api.headers).status_code == 404


def test_a_customer_with_an_issued_invoice_is_kept(api) -> None:
    body = created(api)
    invoice(api, body["id"], "paid", total="40.00", paid="40.00")
    response = api.client.delete(f"/api/customers/{body['id']}", headers=api.headers)
    assert response.status_code == 409
    assert api.get(f"/api/customers/{body['id']}").status_code == 200


def test_a_patients_customer_is_made_on_demand_from_the_read_model(api) -> None:
    patient_id = api.patient(
        fullName="Emma Wilson",
        taxId="X1234567L",
        email="emma@example.com",
        phone="+44 7700 900123",
        preferredLocale="en",
        address={"street": "1 High St", "city": "Bath", "postalCode": "BA1 1AA", "country": "GB"},
    )
    url = f"/api/customers/for-patient/{patient_id}"
    first = api.post(url)
    made = api.ok(first, 201)
    assert first.headers["Location"] == f"/api/customers/{made['id']}"
    assert made == {
        **made,
        "kind": "person",
        "name": "Emma Wilson",
        "taxId": "X1234567L",
        "email": "emma@example.com",
        "phone": "+44 7700 900123",
        "language": "en",
        "patientId": patient_id,
        "address": "1 High St",
        "postalCode": "BA1 1AA",
        "city": "Bath",
        "province": None,
        "country": "GB",
    }
    again = api.ok(api.post(url), 200)
    assert again["id"] == made["id"]
    found = api.ok(api.get("/api/customers", patientId=patient_id))["member"]
    assert [c["id"] for c in found] == [made["id"]]


def test_a_passport_is_not_a_tax_id(api) -> None:
    patient_id = api.patient(taxId="PA1234567")
    made = api.ok(api.post(f"/api/customers/for-patient/{patient_id}"), 201)
    assert made["taxId"] is None


def test_a_patient_without_an_address_gives_a_spanish_customer_without_one(api) -> None:
    patient_id = api.patient(address=None)
    made = api.ok(api.post(f"/api/customers/for-patient/{patient_id}"), 201)
    assert [made[f] for f in ("address", "postalCode", "city", "country")] == [
        None,
        None,
        None,
        "ES",
    ]


def test_an_unknown_patient_is_422(api) -> None:
    response = api.post(f"/api/customers/for-patient/{uuid.uuid4()}")
    assert (response.status_code, problem_fields(response)) == (422, ["patientId"])
    response = api.post("/api/customers", person(patientId=str(uuid.uuid4())))
    assert (response.status_code, problem_fields(response)) == (422, ["patientId"])


def test_a_patient_has_one_customer(api) -> None:
    patient_id = api.patient()
    made = api.ok(api.post(f"/api/customers/for-patient/{patient_id}"), 201)
    response = api.post("/api/customers", person(patientId=patient_id))
    assert response.status_code == 409
    assert response.json()["existingCustomerId"] == made["id"]
    company = api.post("/api/customers", person(kind="company", patientId=patient_id))
    assert (company.status_code, problem_fields(company)) == (422, ["patientId"])


def test_ensure_patient_customer_runs_in_the_callers_transaction(api) -> None:
    patient_id = uuid.UUID(api.patient())
    with api.session() as db, db.begin():
        made = ensure_patient_customer(db, patient_id)
        assert ensure_patient_customer(db, patient_id) == made
    assert api.ok(api.get(f"/api/customers/{made}"))["patientId"] == str(patient_id)
    with api.session() as db, db.begin(), pytest.raises(FieldError) as caught:
        ensure_patient_customer(db, uuid.uuid4())
    assert caught.value.field == "patientId"


def test_a_retried_post_with_the_same_key_creates_one_customer(api) -> None:
    headers = {**api.headers, "Idempotency-Key": str(uuid.uuid4())}
    first = api.post("/api/customers", person(), headers=headers)
    second = api.post("/api/customers", person(), headers=headers)
    assert first.json()["id"] == second.json()["id"]
    assert len(api.ok(api.get("/api/customers"))["member"]) == 1


def test_practitioners_get_403_on_every_customer_route(api) -> None:
    body = created(api)
    url = f"/api/customers/{body['id']}"
    headers = api.practitioner
    assert api.get("/api/customers", headers=headers).status_code == 403
    assert api.get(url, headers=headers).status_code == 403
    assert api.post("/api/customers", person(), headers=headers).status_code == 403
    assert (
        api.post(f"/api/customers/for-patient/{uuid.uuid4()}", headers=headers).status_code == 403
    )
    assert api.put(url, person(), headers=headers).status_code == 403
    assert api.client.delete(url, headers=headers).status_code == 403
