"""The event envelope: wire format, validation and stream-entry encoding."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from clinic_shared.events import (
    ENVELOPE_FIELD,
    EventEnvelope,
    from_fields,
    new_envelope,
    to_fields,
)
from clinic_shared.request_id import request_id_var


def test_new_envelope_stamps_id_time_and_producer() -> None:
    before = datetime.now(UTC)

    envelope = new_envelope("user.registered", {"userId": "u1"}, "identity")

    assert str(uuid.UUID(envelope.id)) == envelope.id
    assert envelope.type == "user.registered"
    assert envelope.version == 1
    assert envelope.producer == "identity"
    assert envelope.data == {"userId": "u1"}
    assert envelope.occurred_at.tzinfo is not None
    assert before <= envelope.occurred_at <= datetime.now(UTC)


def test_each_envelope_gets_its_own_id() -> None:
    assert new_envelope("a.b", {}, "p").id != new_envelope("a.b", {}, "p").id


def test_json_uses_camel_case_names() -> None:
    envelope = new_envelope("user.updated", {"fullName": "Ana"}, "identity", version=2)

    wire = json.loads(envelope.to_json())

    assert set(wire) == {
        "id",
        "type",
        "version",
        "occurredAt",
        "producer",
        "correlationId",
        "data",
    }
    assert wire["version"] == 2
    assert wire["data"] == {"fullName": "Ana"}


def test_round_trip_through_stream_fields_is_lossless() -> None:
    envelope = new_envelope("user.updated", {"roles": ["ROLE_ADMIN"], "n": 1.5}, "identity")

    fields = to_fields(envelope)

    assert list(fields) == [ENVELOPE_FIELD]
    assert from_fields(fields) == envelope
    as_bytes = {str(key).encode(): str(value).encode() for key, value in fields.items()}
    assert from_fields(as_bytes) == envelope


def test_unknown_fields_are_ignored() -> None:
    wire = json.loads(new_envelope("user.updated", {}, "identity").to_json())
    wire["traceparent"] = "00-abc"
    wire["schemaUrl"] = "https://example.test"

    envelope = EventEnvelope.from_json(json.dumps(wire))

    assert envelope.type == "user.updated"
    assert not hasattr(envelope, "traceparent")


def test_correlation_id_comes_from_the_request_context() -> None:
    token = request_id_var.set("req-42")
    try:
        envelope = new_envelope("user.updated", {}, "identity")
    finally:
        request_id_var.reset(token)

    assert envelope.correlation_id == "req-42"
    assert json.loads(envelope.to_json())["correlationId"] == "req-42"
    assert new_envelope("user.updated", {}, "identity").correlation_id is None


def test_occurred_at_is_normalised_to_utc() -> None:
    madrid = timezone(timedelta(hours=2))
    wire = json.loads(new_envelope("a.b", {}, "p").to_json())
    wire["occurredAt"] = datetime(2026, 5, 1, 12, 0, tzinfo=madrid).isoformat()

    envelope = EventEnvelope.from_json(json.dumps(wire))

    assert envelope.occurred_at == datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    assert envelope.occurred_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurredAt", "2026-05-01T12:00:00"),
        ("id", "not-a-uuid"),
        ("type", "UserRegistered"),
        ("type", "user"),
        ("version", 0),
        ("producer", ""),
        ("data", ["not", "a", "dict"]),
    ],
)
def test_invalid_envelopes_are_rejected(field: str, value: object) -> None:
    wire = json.loads(new_envelope("a.b", {}, "p").to_json())
    wire[field] = value

    with pytest.raises(ValidationError):
        EventEnvelope.from_json(json.dumps(wire))


def test_missing_required_field_is_rejected() -> None:
    wire = json.loads(new_envelope("a.b", {}, "p").to_json())
    del wire["data"]

    with pytest.raises(ValidationError):
        EventEnvelope.from_json(json.dumps(wire))


def test_entry_without_envelope_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="envelope"):
        from_fields({"__data__": "{}"})


def test_envelope_is_immutable() -> None:
    envelope = new_envelope("a.b", {}, "p")

    with pytest.raises(ValidationError):
        envelope.type = "c.d"  # type: ignore[misc]
