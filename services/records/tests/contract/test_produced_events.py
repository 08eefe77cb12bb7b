"""Producer contract: records events match their contracts and carry no clinical text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from clinic_records.infrastructure.tables import outbox
from clinic_shared.contracts import CONTRACTS, example_payload, validate_payload
from clinic_shared.contracts import records as record_contracts

pytestmark = pytest.mark.integration

RECORDS_EVENTS = tuple(record_contracts.CONTRACTS)


def _events(api: Any) -> list[dict[str, Any]]:
    with api.session() as session, session.begin():
        rows = session.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        envelopes = [json.loads(row) for row in rows]
    return [e for e in envelopes if e["type"] in RECORDS_EVENTS]


def test_the_examples_are_valid() -> None:
    for event_type in RECORDS_EVENTS:
        assert event_type in CONTRACTS
        validate_payload(event_type, example_payload(event_type), allow_unknown_fields=False)


def test_signing_amending_and_discharging_emit_valid_events_without_text(api: Any) -> None:
    patient = api.patient()
    appointment = api.completed(patient)
    episode = api.ok(api.post("/api/episodes", {"patientId": patient, "reason": "Gonalgia"}), 201)
    entry = api.draft(patient, episodeId=episode["id"], appointmentId=appointment)
    api.ok(api.sign(entry["id"]))
    api.ok(api.post(f"/api/records/{entry['id']}/amendments", {"text": "Menisco interno"}), 201)
    api.ok(api.post(f"/api/episodes/{episode['id']}/discharge", {"reason": "Alta por mejoría"}))

    events = _events(api)
    assert [e["type"] for e in events] == ["record.signed", "record.amended", "episode.discharged"]
    for event in events:
        assert event["producer"] == "records"
        validate_payload(event["type"], event["data"], allow_unknown_fields=False)
    text = json.dumps(events, ensure_ascii=False)
    for clinical in ("Gonalgia", "Menisco", "Alta por", "Lasègue", "Radiculopatía", "Dolor"):
        assert clinical not in text
    signed, amended, discharged = (e["data"] for e in events)
    assert (signed["entryId"], signed["appointmentId"], signed["episodeId"]) == (
        entry["id"],
        appointment,
        episode["id"],
    )
    assert (signed["signedBy"], signed["entityVersion"]) == (api.user_id, 2)
    assert (amended["entryId"], amended["entityVersion"]) == (entry["id"], 3)
    assert (discharged["episodeId"], discharged["patientId"]) == (episode["id"], patient)
