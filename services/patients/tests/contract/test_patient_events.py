"""What the patients service emits validates against clinic_shared.contracts (strictly)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from clinic_patients.config import PatientsSettings
from clinic_patients.models import Patient, outbox
from clinic_patients.patient_events import patient_payload
from clinic_shared.contracts import (
    STREAMS,
    contract_for,
    event_type_of,
    example_payload,
    validate_payload,
)
from clinic_shared.contracts.patients import (
    PATIENT_DEACTIVATED,
    PATIENT_REACTIVATED,
    PATIENT_REGISTERED,
    PATIENT_UPDATED,
)
from clinic_shared.events.envelope import EventEnvelope

PATIENT_EVENTS = (PATIENT_REGISTERED, PATIENT_UPDATED, PATIENT_DEACTIVATED, PATIENT_REACTIVATED)


def _patient(**changes: object) -> Patient:
    values: dict[str, object] = {
        "id": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
        "first_name": "Núria",
        "last_name": "Vidal Soler",
        "tax_id": "52318790T",
        "birth_date": date(1988, 10, 5),
        "phone": "+34 677 889 900",
        "email": "nuria.vidal@example.cat",
        "status": "active",
        "preferred_locale": "es",
    }
    values.update(changes)
    return Patient(**values)


@pytest.mark.parametrize("event_type", PATIENT_EVENTS)
def test_payload_matches_the_contract_exactly(event_type: str) -> None:
    payload = patient_payload(contract_for(event_type), _patient())
    assert event_type_of(payload) == event_type
    data = payload.to_data()
    validate_payload(event_type, data, allow_unknown_fields=False)
    assert set(data) == set(example_payload(event_type))


def test_a_patient_with_only_names_is_valid() -> None:
    bare = _patient(tax_id=None, birth_date=None, phone=None, email=None, status="inactive")
    payload = patient_payload(contract_for(PATIENT_DEACTIVATED), bare)
    validate_payload(PATIENT_DEACTIVATED, payload.to_data())


def test_the_service_publishes_on_the_contract_stream() -> None:
    assert {STREAMS[t] for t in PATIENT_EVENTS} == {PatientsSettings().events_stream}


@pytest.mark.integration
def test_every_event_emitted_through_the_api_validates(client, api) -> None:
    created = api.created()
    body = api.editable(created)
    api.put(created["id"], {**body, "email": None}, '"1"')
    api.put(created["id"], {**body, "status": "inactive"}, '"2"')
    api.put(created["id"], {**body, "status": "active"}, '"3"')

    services = client.app.state.services
    with services.new_session() as db, db.begin():
        rows = db.execute(select(outbox).order_by(outbox.c.id)).all()
    seen = set()
    for row in rows:
        envelope = EventEnvelope.from_json(row.payload)
        assert (envelope.type, envelope.producer) == (row.event_type, "patients")
        validate_payload(envelope.type, envelope.data, allow_unknown_fields=False)
        seen.add(envelope.type)
    assert seen == set(PATIENT_EVENTS)


@pytest.mark.integration
def test_each_event_carries_the_version_the_api_answered_with(client, api) -> None:
    """Consumers order events by entityVersion: it must be the patient's ETag after the change."""
    created = api.create()
    patient_id = created.json()["id"]
    body = api.editable(created.json())
    versions = [created.headers["etag"].strip('"')]
    for change in ({"email": None}, {"status": "inactive"}, {"status": "active"}):
        answer = api.put(patient_id, {**body, **change}, f'"{versions[-1]}"')
        assert answer.status_code == 200, answer.text
        versions.append(answer.headers["etag"].strip('"'))

    services = client.app.state.services
    with services.new_session() as db, db.begin():
        rows = db.execute(select(outbox).order_by(outbox.c.id)).all()
    emitted = [
        envelope.data["entityVersion"]
        for envelope in (EventEnvelope.from_json(row.payload) for row in rows)
        if envelope.data["patientId"] == patient_id
    ]
    assert [str(v) for v in emitted] == versions
