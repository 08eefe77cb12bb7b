"""Consumer contract: every documented example of patients' and scheduling's events applies."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import redis
from sqlalchemy import select

from clinic_billing.config import BillingSettings
from clinic_billing.entrypoints.consumers import HANDLERS
from clinic_billing.infrastructure.tables import billable_sessions, patients
from clinic_shared.contracts import example_payload
from clinic_shared.contracts import patients as patient_contracts
from clinic_shared.contracts import scheduling as scheduling_contracts
from clinic_shared.events import new_envelope, to_fields

pytestmark = pytest.mark.integration


def _row(api: Any, table: Any, column: Any, row_id: str) -> Any:
    with api.session() as session, session.begin():
        return session.execute(select(table).where(column == row_id)).first()


def test_every_consumed_event_type_has_a_handler() -> None:
    consumed = {*patient_contracts.CONTRACTS, *scheduling_contracts.CONTRACTS}
    assert set(HANDLERS) == consumed


@pytest.mark.parametrize("event_type", sorted(patient_contracts.CONTRACTS))
def test_patient_examples_upsert_the_read_model(api: Any, event_type: str) -> None:
    # The documented example, about a patient of this test's own (the read model outlives resets).
    data = {**example_payload(event_type), "patientId": str(uuid.uuid4())}
    api.apply(new_envelope(event_type, data, patient_contracts.PRODUCER))
    row = _row(api, patients, patients.c.id, data["patientId"])
    assert (row.full_name, row.tax_id, row.email, row.phone) == (
        data["fullName"],
        data["taxId"],
        data["email"],
        data["phone"],
    )
    assert (row.status, row.preferred_locale, row.entity_version) == (
        data["status"],
        data["preferredLocale"],
        data["entityVersion"],
    )
    address = data["address"]
    assert (row.address, row.postal_code, row.city, row.province, row.country) == (
        address["street"],
        address["postalCode"],
        address["city"],
        address["province"],
        address["country"],
    )


def test_an_event_from_before_addresses_keeps_the_address_held(api: Any) -> None:
    registered = api.patient_event()
    patient_id = registered.data["patientId"]
    api.apply(registered)
    older_producer = {**registered.data, "address": None, "phone": None, "entityVersion": 2}
    api.apply(new_envelope("patient.updated", older_producer, patient_contracts.PRODUCER))
    row = _row(api, patients, patients.c.id, patient_id)
    assert (row.phone, row.city, row.entity_version) == (None, "Madrid", 2)
    moved = {**older_producer, "address": {"city": "Bilbao"}, "entityVersion": 3}
    api.apply(new_envelope("patient.updated", moved, patient_contracts.PRODUCER))
    row = _row(api, patients, patients.c.id, patient_id)
    assert (row.address, row.city, row.country) == (None, "Bilbao", None)
    late = {**registered.data, "fullName": "Old Name"}  # version 1 after version 3
    api.apply(new_envelope("patient.updated", late, patient_contracts.PRODUCER))
    assert _row(api, patients, patients.c.id, patient_id).full_name != "Old Name"


@pytest.mark.parametrize("event_type", sorted(scheduling_contracts.CONTRACTS))
def test_appointment_examples_apply(api: Any, event_type: str) -> None:
    data = example_payload(event_type)
    api.apply(new_envelope(event_type, data, scheduling_contracts.PRODUCER))
    api.apply(new_envelope(event_type, data, scheduling_contracts.PRODUCER))  # redelivered
    row = _row(api, billable_sessions, billable_sessions.c.appointment_id, data["appointmentId"])
    if data["status"] == "completed":
        assert (row.status, row.service_code, row.entity_version) == (
            "uninvoiced",
            "FIS",
            data["entityVersion"],
        )
    else:
        assert row is None  # only a completion makes a session


def _eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def test_the_live_consumer_reads_both_streams(
    api: Any, settings: BillingSettings, redis_client: redis.Redis
) -> None:
    patient = api.patient_event(fullName="Iñaki Pérez")
    patient_id = patient.data["patientId"]
    completed = api.appointment_event(patientId=patient_id, status="completed")
    redis_client.xadd(settings.patients_stream, to_fields(patient))  # type: ignore[arg-type]
    redis_client.xadd(settings.scheduling_stream, to_fields(completed))  # type: ignore[arg-type]

    def listed() -> list[Any]:
        found = api.get("/api/billable-sessions", patientId=patient_id).json()["member"]
        # Both streams are read independently: the name shows once the patient has arrived too.
        return [s for s in found if s["patientName"]]

    found = _eventually(listed)
    assert [(s["appointmentId"], s["patientName"]) for s in found] == [
        (completed.data["appointmentId"], "Iñaki Pérez")
    ]
