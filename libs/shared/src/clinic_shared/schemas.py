"""Base Pydantic models: camelCase on the wire, snake_case in Python, no unknown input fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (databases keep naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Responses always show the offset, whatever the database driver handed back.
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


class CamelModel(BaseModel):
    """Response/shared model serialised with camelCase aliases."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class CamelInput(CamelModel):
    """Request body: unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
    )
