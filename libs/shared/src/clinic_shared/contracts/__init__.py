"""Event payload contracts of every producing context, with one example each.

Adding a context: write ``contracts/<context>.py`` exposing ``PRODUCER``, ``STREAM`` and
``CONTRACTS`` (event type -> :class:`EventPayload` subclass with an ``EXAMPLE``), then list
the module in ``_CONTEXTS`` below.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from clinic_shared.contracts import billing, identity, patients, records, scheduling
from clinic_shared.contracts.base import EventPayload
from clinic_shared.events.envelope import EventEnvelope, new_envelope

_CONTEXTS: tuple[ModuleType, ...] = (identity, patients, scheduling, billing, records)

CONTRACTS: dict[str, type[EventPayload]] = {}
PRODUCERS: dict[str, str] = {}
STREAMS: dict[str, str] = {}
_TYPES: dict[type[EventPayload], str] = {}
for _context in _CONTEXTS:
    for _type, _model in _context.CONTRACTS.items():
        if _type in CONTRACTS:
            raise RuntimeError(f"event type {_type!r} is defined twice")
        if _model in _TYPES:
            raise RuntimeError(f"{_model.__name__} is the contract of two event types")
        CONTRACTS[_type] = _model
        PRODUCERS[_type] = _context.PRODUCER
        STREAMS[_type] = _context.STREAM
        _TYPES[_model] = _type


class UnknownEventTypeError(KeyError):
    """No contract is registered for this event type."""


class UnexpectedFieldsError(ValueError):
    """The payload carries fields its contract does not define."""


def contract_for(type: str) -> type[EventPayload]:
    """The payload model of ``type``; raises :class:`UnknownEventTypeError`."""
    try:
        return CONTRACTS[type]
    except KeyError:
        raise UnknownEventTypeError(type) from None


def event_type_of(payload: EventPayload) -> str:
    """The event type whose contract ``payload`` is an instance of (exactly, not a base)."""
    try:
        return _TYPES[type(payload)]
    except KeyError:
        raise UnknownEventTypeError(
            f"{type(payload).__name__} is not the contract of any event type"
        ) from None


def validate_payload(
    type: str, data: Mapping[str, Any], *, allow_unknown_fields: bool = True
) -> EventPayload:
    """Validate ``data`` against the contract of ``type`` (strict mode for producer tests)."""
    model = contract_for(type)
    if not allow_unknown_fields:
        unexpected = sorted(set(data) - model.wire_names())
        if unexpected:
            raise UnexpectedFieldsError(f"{type}: fields not in the contract: {unexpected}")
    return model.model_validate(data)


def example_payload(type: str) -> dict[str, Any]:
    """A copy of the documented example ``data`` of ``type``."""
    model = contract_for(type)
    return model.model_validate(model.EXAMPLE).to_data()


def example_envelope(type: str) -> EventEnvelope:
    """A complete envelope around the example of ``type``, as its producer would emit it."""
    return new_envelope(type, example_payload(type), PRODUCERS[type])


__all__ = [
    "CONTRACTS",
    "PRODUCERS",
    "STREAMS",
    "EventPayload",
    "UnexpectedFieldsError",
    "UnknownEventTypeError",
    "contract_for",
    "event_type_of",
    "example_envelope",
    "example_payload",
    "validate_payload",
]
