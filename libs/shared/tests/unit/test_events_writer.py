"""OutboxWriter: the event type comes from the contract registry, never a literal."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.orm import Session

from clinic_shared.contracts import (
    CONTRACTS,
    EventPayload,
    UnknownEventTypeError,
    event_type_of,
    example_payload,
)
from clinic_shared.contracts.patients import PatientData, PatientReactivated
from clinic_shared.events import EventEnvelope, OutboxWriter, outbox_table


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_every_contract_class_knows_its_event_type(event_type: str) -> None:
    payload = CONTRACTS[event_type].model_validate(example_payload(event_type))

    assert event_type_of(payload) == event_type


def test_a_shared_base_class_is_no_event() -> None:
    payload = PatientData.model_validate(PatientReactivated.EXAMPLE)

    with pytest.raises(UnknownEventTypeError):
        event_type_of(payload)


class Unregistered(EventPayload):
    EXAMPLE: ClassVar[dict[str, Any]] = {}


def test_the_writer_queues_the_payload_on_its_stream_as_its_producer() -> None:
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    writer = OutboxWriter(table, "events.patients.t1", "patients")
    payload = PatientReactivated.model_validate(PatientReactivated.EXAMPLE)

    with Session(engine) as session, session.begin():
        envelope = writer.add(session, payload)
        with pytest.raises(UnknownEventTypeError):
            writer.add(session, Unregistered())
    with engine.connect() as conn:
        row = conn.execute(select(table)).one()

    assert (row.stream, row.event_type) == ("events.patients.t1", "patient.reactivated")
    stored = EventEnvelope.model_validate_json(row.payload)
    assert stored.id == envelope.id
    assert (stored.type, stored.producer) == ("patient.reactivated", "patients")
    assert stored.data == payload.to_data()
