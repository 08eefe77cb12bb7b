"""The versioned event envelope every service publishes on its Redis stream.

On the wire it is camelCase JSON stored in one stream-entry field (``envelope``), so the
entry stays readable with ``redis-cli XRANGE`` and the JSON is the only source of truth.
Readers ignore fields they do not know: a producer may add fields without breaking anyone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from clinic_shared.request_id import current_request_id

if TYPE_CHECKING:
    from redis.typing import EncodableT, FieldT

ENVELOPE_FIELD = "envelope"
EVENT_TYPE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"


class EventEnvelope(BaseModel):
    """One event: what happened (``type`` + ``data``), when, who emitted it and why."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    id: str
    type: str = Field(pattern=EVENT_TYPE_PATTERN, max_length=100)
    version: int = Field(default=1, ge=1)
    occurred_at: datetime
    producer: str = Field(min_length=1, max_length=100)
    correlation_id: str | None = Field(default=None, max_length=200)
    data: dict[str, Any]

    @field_validator("id")
    @classmethod
    def _canonical_uuid(cls, value: str) -> str:
        return str(uuid.UUID(value))

    @field_validator("occurred_at")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("occurredAt must carry a timezone")
        return value.astimezone(UTC)

    def to_json(self) -> str:
        """The camelCase JSON form of this envelope."""
        return self.model_dump_json(by_alias=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> EventEnvelope:
        """Parse an envelope from its JSON form (unknown fields ignored)."""
        return cls.model_validate_json(raw)


def new_envelope(
    type: str,
    data: Mapping[str, Any],
    producer: str,
    version: int = 1,
) -> EventEnvelope:
    """A fresh envelope stamped with a new id, now (UTC) and the current request id."""
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type=type,
        version=version,
        occurred_at=datetime.now(UTC),
        producer=producer,
        correlation_id=current_request_id(),
        data=dict(data),
    )


def to_fields(envelope: EventEnvelope) -> dict[FieldT, EncodableT]:
    """The Redis stream entry (field -> value) carrying ``envelope``, ready for XADD."""
    return {ENVELOPE_FIELD: envelope.to_json()}


def from_fields(fields: Mapping[Any, Any]) -> EventEnvelope:
    """Decode a stream entry written by :func:`to_fields` (bytes or str keys)."""
    # Clients built with decode_responses=True hand back str, others bytes: accept both.
    raw = fields.get(ENVELOPE_FIELD)
    if raw is None:
        raw = fields.get(ENVELOPE_FIELD.encode())
    if not isinstance(raw, str | bytes):
        raise ValueError(f"stream entry has no {ENVELOPE_FIELD!r} field")
    return EventEnvelope.from_json(raw)
