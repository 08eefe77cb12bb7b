"""Billable sessions from scheduling's events: priced, paid by an insurer, reversed, guarded."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import update

from clinic_billing.infrastructure.tables import billable_sessions, clinic_settings

pytestmark = pytest.mark.integration

URL = "/api/billable-sessions"


def sessions(api: Any, **params: Any) -> list[dict[str, Any]]:
    return list(api.ok(api.get(URL, **params))["member"])


def only(api: Any, appointment_id: str) -> dict[str, Any]:
    found = [s for s in sessions(api, itemsPerPage=100) if s["appointmentId"] == appointment_id]
    assert len(found) == 1
    return found[0]


def event(api: Any, event_type: str, appointment_id: str, patient_id: str, **changes: Any) -> None:
    api.apply(
        api.appointment_event(
            event_type, appointmentId=appointment_id, patientId=patient_id, **changes
        )
    )


def insurer_paying_for(api: Any, patient_id: str, prices: list[dict[str, Any]]) -> str:
    body = {"kind": "insurer", "name": "Mutua Demo", "taxId": "B12345674"}
    mutua = api.ok(api.post("/api/customers", body), 201)["id"]
    api.ok(api.put(f"/api/customers/{mutua}/prices", prices, headers=api.admin))
    own = api.ok(api.post(f"/api/customers/for-patient/{patient_id}"), 201)
    body = {"kind": "person", "name": own["name"], "patientId": patient_id, "insurerId": mutua}
    api.ok(api.put(f"/api/customers/{own['id']}", body))
    return str(mutua)


def test_a_completed_appointment_is_an_uninvoiced_session_priced_from_the_catalogue(api) -> None:
    patient_id = api.patient(fullName="José García Núñez")
    appointment_id = api.completed(patient_id, startsAt="2026-03-02T09:00:00Z")
    assert sessions(api) == [
        {
            "appointmentId": appointment_id,
            "patientId": patient_id,
            "patientName": "José García Núñez",
            "practitionerId": "5b0f7c52-9a43-4c1e-8d0e-3f1b2a6c9d10",
            "appointmentType": "follow_up",
            "serviceCode": "FIS",
            "description": "Sesión de fisioterapia",
            "startsAt": "2026-03-02T09:00:00Z",
            "price": "40.00",
            "vatRate": "0.00",
            "exemption": "health_care",
            "payerId": None,
            "payerName": None,
            "status": "uninvoiced",
            "invoiceId": None,
        }
    ]


def test_an_insurer_pays_at_its_agreed_price(api) -> None:
    patient_id = api.patient()
    mutua = insurer_paying_for(api, patient_id, [{"serviceCode": "FIS", "price": "32"}])
    follow_up = only(api, api.completed(patient_id))
    assert (follow_up["price"], follow_up["payerId"], follow_up["payerName"]) == (
        "32.00",
        mutua,
        "Mutua Demo",
    )
    # No agreed price for the first visit: the insurer pays the catalogue price.
    first_visit = only(api, api.completed(patient_id, type="first_visit"))
    assert (first_visit["serviceCode"], first_visit["price"], first_visit["payerId"]) == (
        "VAL",
        "50.00",
        mutua,
    )
    assert {s["appointmentId"] for s in sessions(api, payerId=mutua)} == {
        follow_up["appointmentId"],
        first_visit["appointmentId"],
    }
    assert sessions(api, payerId=str(uuid.uuid4())) == []


def test_a_new_insurer_takes_over_the_uninvoiced_sessions(api) -> None:
    patient_id = api.patient()
    before = api.completed(patient_id)
    invoiced = api.completed(patient_id)
    with api.session() as db, db.begin():
        db.execute(
            update(billable_sessions)
            .where(billable_sessions.c.appointment_id == invoiced)
            .values(status="invoiced", invoice_id=str(uuid.uuid4()))
        )
    mutua = insurer_paying_for(api, patient_id, [{"serviceCode": "FIS", "price": "30"}])
    taken_over = only(api, before)
    assert (taken_over["payerId"], taken_over["price"]) == (mutua, "30.00")
    assert (only(api, invoiced)["payerId"], only(api, invoiced)["price"]) == (None, "40.00")
    # Without the insurer the patient pays the catalogue price again.
    own = api.ok(api.get("/api/customers", patientId=patient_id))["member"][0]
    body = {"kind": "person", "name": own["name"], "patientId": patient_id}
    api.ok(api.put(f"/api/customers/{own['id']}", body))
    assert (only(api, before)["payerId"], only(api, before)["price"]) == (None, "40.00")


def test_deleting_a_patients_customer_leaves_the_patient_paying(api) -> None:
    patient_id = api.patient()
    insurer_paying_for(api, patient_id, [{"serviceCode": "FIS", "price": "30"}])
    appointment_id = api.completed(patient_id)
    own = api.ok(api.get("/api/customers", patientId=patient_id))["member"][0]
    assert api.client.delete(f"/api/customers/{own['id']}", headers=api.headers).status_code == 204
    assert only(api, appointment_id)["payerId"] is None


def test_a_type_without_a_catalogue_item_is_listed_at_zero(api) -> None:
    patient_id = api.patient()
    untyped = only(api, api.completed(patient_id, type="hydrotherapy"))
    assert (untyped["serviceCode"], untyped["description"], untyped["price"]) == (
        None,
        "Sesión (hydrotherapy)",
        "0.00",
    )
    assert (untyped["vatRate"], untyped["exemption"]) == ("0.00", "health_care")
    assert only(api, api.completed(patient_id, type=None))["description"] == "Sesión"


def test_the_clinic_language_names_the_session(api) -> None:
    with api.session() as db, db.begin():
        db.execute(update(clinic_settings).values(default_language="en"))
    session = only(api, api.completed(api.patient()))
    assert session["description"] == "Physiotherapy session"


def test_taking_the_completion_back_reverses_the_session(api) -> None:
    patient_id = api.patient()
    appointment_id = api.completed(patient_id, entityVersion=3)
    event(api, "appointment.cancelled", appointment_id, patient_id, entityVersion=4)
    assert only(api, appointment_id)["status"] == "reversed"
    assert sessions(api, uninvoiced=True) == []
    # The completion arriving late (an older version) does not bring it back...
    event(api, "appointment.completed", appointment_id, patient_id, status="completed")
    assert only(api, appointment_id)["status"] == "reversed"
    # ...completing it again does, priced anew.
    event(
        api,
        "appointment.completed",
        appointment_id,
        patient_id,
        status="completed",
        entityVersion=6,
        type="first_visit",
    )
    again = only(api, appointment_id)
    assert (again["status"], again["serviceCode"], again["price"]) == ("uninvoiced", "VAL", "50.00")


@pytest.mark.parametrize(
    ("event_type", "changes"),
    [
        ("appointment.no_show", {"status": "no_show"}),
        ("appointment.rescheduled", {"status": "scheduled"}),
        ("appointment.rescheduled", {"status": "completed", "patientId": None}),
    ],
)
def test_any_later_event_that_is_not_a_completion_reverses(
    api, event_type: str, changes: dict[str, Any]
) -> None:
    patient_id = api.patient()
    appointment_id = api.completed(patient_id)
    api.apply(
        api.appointment_event(
            event_type,
            **{"appointmentId": appointment_id, "patientId": patient_id, **changes},
            entityVersion=4,
        )
    )
    assert only(api, appointment_id)["status"] == "reversed"


def test_a_rescheduled_completed_appointment_is_repriced(api) -> None:
    patient_id = api.patient()
    appointment_id = api.completed(patient_id)
    event(
        api,
        "appointment.rescheduled",
        appointment_id,
        patient_id,
        status="completed",
        type="dry_needling",
        startsAt="2026-03-03T10:00:00Z",
        entityVersion=4,
    )
    changed = only(api, appointment_id)
    assert (changed["serviceCode"], changed["price"], changed["startsAt"]) == (
        "PUN",
        "35.00",
        "2026-03-03T10:00:00Z",
    )


def test_an_invoiced_session_never_changes(api) -> None:
    patient_id = api.patient()
    appointment_id = api.completed(patient_id)
    invoice_id = str(uuid.uuid4())
    with api.session() as db, db.begin():
        db.execute(
            update(billable_sessions)
            .where(billable_sessions.c.appointment_id == appointment_id)
            .values(status="invoiced", invoice_id=invoice_id)
        )
    event(api, "appointment.cancelled", appointment_id, patient_id, entityVersion=9)
    event(
        api,
        "appointment.completed",
        appointment_id,
        patient_id,
        status="completed",
        type="first_visit",
        entityVersion=10,
    )
    kept = only(api, appointment_id)
    assert (kept["status"], kept["invoiceId"], kept["price"]) == ("invoiced", invoice_id, "40.00")


def test_redelivery_is_harmless_and_other_events_make_no_session(api) -> None:
    patient_id = api.patient()
    completed = api.appointment_event(patientId=patient_id, status="completed")
    api.apply(completed)
    api.apply(completed)
    assert len(sessions(api)) == 1
    for changes in (
        {"kind": "block", "patientId": None},
        {"kind": "empty_slot", "patientId": None},
    ):
        api.apply(api.appointment_event(status="completed", **changes))
    api.apply(api.appointment_event("appointment.booked", patientId=patient_id))
    api.apply(api.appointment_event("appointment.cancelled", patientId=patient_id))
    assert len(sessions(api)) == 1


def test_filters_and_pages_oldest_first(api) -> None:
    ana, luis = api.patient(fullName="Ana"), api.patient(fullName="Luis")
    # 23:30 UTC on 1 March is already 2 March in Madrid.
    late = api.completed(ana, startsAt="2026-03-01T23:30:00Z")
    early = api.completed(ana, startsAt="2026-02-27T09:00:00Z")
    other = api.completed(luis, startsAt="2026-03-05T09:00:00Z")
    api.apply(api.appointment_event("appointment.cancelled", appointmentId=other, patientId=luis))
    assert [s["appointmentId"] for s in sessions(api)] == [early, late, other]
    assert [s["appointmentId"] for s in sessions(api, patientId=ana)] == [early, late]
    assert [s["appointmentId"] for s in sessions(api, uninvoiced="true")] == [early, late]
    march = sessions(api, **{"from": "2026-03-02", "to": "2026-03-31"})
    assert [s["appointmentId"] for s in march] == [late, other]
    assert [s["appointmentId"] for s in sessions(api, to="2026-03-01")] == [early]
    first = api.ok(api.get(URL, itemsPerPage=2))
    assert first["view"]["next"] == f"{URL}?page=2&itemsPerPage=2"
    assert api.ok(api.get(URL, page=2, itemsPerPage=2))["view"]["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-05", "to": "2026-03-01"}, "to"),
        ({"from": "March"}, "from"),
        ({"patientId": "nope"}, "patientId"),
        ({"payerId": "nope"}, "payerId"),
        ({"uninvoiced": "maybe"}, "uninvoiced"),
        ({"to": "9999-12-31"}, "to"),
    ],
)
def test_bad_filters_are_422(api, params: dict[str, str], field: str) -> None:
    response = api.get(URL, **params)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_practitioners_get_403(api) -> None:
    assert api.get(URL, headers=api.practitioner).status_code == 403
