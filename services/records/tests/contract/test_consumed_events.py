"""Consumer contract: every example of identity's, patients' and scheduling's events applies."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import redis
from sqlalchemy import select

from clinic_records.config import RecordsSettings
from clinic_records.entrypoints.consumers import HANDLERS
from clinic_records.infrastructure.tables import patients, practitioners, sessions
from clinic_shared.contracts import example_payload
from clinic_shared.contracts import identity as identity_contracts
from clinic_shared.contracts import patients as patient_contracts
from clinic_shared.contracts import scheduling as scheduling_contracts
from clinic_shared.events import new_envelope, to_fields

pytestmark = pytest.mark.integration


def _row(api: Any, table: Any, column: Any, row_id: str) -> Any:
    with api.session() as session, session.begin():
        return session.execute(select(table).where(column == row_id)).first()


def test_every_consumed_event_type_has_a_handler() -> None:
    consumed = {
        *identity_contracts.CONTRACTS,
        *patient_contracts.CONTRACTS,
        *scheduling_contracts.CONTRACTS,
    }
    assert set(HANDLERS) == consumed


@pytest.mark.parametrize("event_type", sorted(patient_contracts.CONTRACTS))
def test_patient_examples_upsert_the_read_model(api: Any, event_type: str) -> None:
    data = {**example_payload(event_type), "patientId": str(uuid.uuid4()), "entityVersion": 5}
    api.apply(new_envelope(event_type, data, patient_contracts.PRODUCER))
    row = _row(api, patients, patients.c.id, data["patientId"])
    assert (row.full_name, row.status, row.entity_version) == (
        data["fullName"],
        data["status"],
        data["entityVersion"],
    )
    late = {**data, "fullName": "Old Name", "entityVersion": data["entityVersion"] - 1}
    api.apply(new_envelope(event_type, late, patient_contracts.PRODUCER))
    assert _row(api, patients, patients.c.id, data["patientId"]).full_name == data["fullName"]


@pytest.mark.parametrize("event_type", sorted(identity_contracts.CONTRACTS))
def test_user_examples_upsert_the_practitioners(api: Any, event_type: str) -> None:
    data = {**example_payload(event_type), "userId": str(uuid.uuid4())}
    api.apply(new_envelope(event_type, data, identity_contracts.PRODUCER))
    row = _row(api, practitioners, practitioners.c.id, data["userId"])
    assert (row.full_name, row.active, row.is_practitioner) == (
        data["fullName"],
        data["active"],
        "ROLE_PRACTITIONER" in data["roles"],
    )


@pytest.mark.parametrize("event_type", sorted(scheduling_contracts.CONTRACTS))
def test_appointment_examples_apply(api: Any, event_type: str) -> None:
    data = {**example_payload(event_type), "appointmentId": str(uuid.uuid4())}
    api.apply(new_envelope(event_type, data, scheduling_contracts.PRODUCER))
    api.apply(new_envelope(event_type, data, scheduling_contracts.PRODUCER))  # redelivered
    row = _row(api, sessions, sessions.c.appointment_id, data["appointmentId"])
    if data["status"] == "completed":
        assert (row.status, row.note_entry_id, row.entity_version) == (
            "completed",
            None,
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


def test_the_live_consumer_reads_the_streams(
    api: Any, settings: RecordsSettings, redis_client: redis.Redis
) -> None:
    patient = api.patient_event(fullName="Iñaki Pérez")
    completed = api.appointment_event(
        patientId=patient.data["patientId"], status="completed", practitionerId=api.user_id
    )
    redis_client.xadd(settings.patients_stream, to_fields(patient))  # type: ignore[arg-type]
    redis_client.xadd(settings.scheduling_stream, to_fields(completed))  # type: ignore[arg-type]

    def listed() -> list[Any]:
        found = api.get("/api/records/sessions-without-note").json()["member"]
        return [s for s in found if s["patientName"]]

    found = _eventually(listed)
    assert [(s["appointmentId"], s["patientName"]) for s in found] == [
        (completed.data["appointmentId"], "Iñaki Pérez")
    ]
