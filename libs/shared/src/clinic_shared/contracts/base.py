"""Base class of every event payload contract."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

# The producer's row version of the entity an event describes (its ETag), one higher on every
# change. Consumers keep the version they hold and apply an event only if it is not older
# (equal: the same state again, harmless), so a late or redelivered event never overwrites
# newer data. None only in events emitted before the field existed: consumers treat it as 0,
# i.e. older than any versioned event, applied in arrival order among themselves.
EntityVersion = Field(default=None, ge=1)


class EventPayload(BaseModel):
    """The ``data`` of one event type: camelCase on the wire, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    # A realistic payload: producer tests compare against it, consumer tests feed it.
    EXAMPLE: ClassVar[dict[str, Any]]

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready camelCase dict to put in an envelope's ``data``."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def wire_names(cls) -> frozenset[str]:
        """The camelCase field names this contract defines."""
        return frozenset(field.alias or name for name, field in cls.model_fields.items())
