"""Event payload contracts: every example validates, bad payloads do not."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from clinic_shared.contracts import (
    CONTRACTS,
    PRODUCERS,
    STREAMS,
    UnexpectedFieldsError,
    UnknownEventTypeError,
    example_envelope,
    example_payload,
    validate_payload,
)
from clinic_shared.contracts.identity import USER_DEACTIVATED, USER_REGISTERED, UserData
from clinic_shared.events import EventEnvelope, from_fields, to_fields

ALL_TYPES = sorted(CONTRACTS)


def test_identity_events_are_registered() -> None:
    assert {"user.registered", "user.updated", "user.deactivated"} <= set(CONTRACTS)
    assert PRODUCERS["user.registered"] == "identity"
    assert STREAMS["user.registered"] == "events.identity"


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_every_example_validates_strictly(event_type: str) -> None:
    example = CONTRACTS[event_type].EXAMPLE

    payload = validate_payload(event_type, example, allow_unknown_fields=False)

    assert payload.to_data() == example


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_example_envelope_round_trips_and_validates(event_type: str) -> None:
    envelope = example_envelope(event_type)

    decoded = from_fields(to_fields(envelope))

    assert isinstance(decoded, EventEnvelope)
    assert decoded.type == event_type
    assert decoded.producer == PRODUCERS[event_type]
    validate_payload(decoded.type, decoded.data, allow_unknown_fields=False)


def test_example_payload_is_a_copy() -> None:
    example_payload(USER_REGISTERED)["email"] = "changed@example.test"

    assert example_payload(USER_REGISTERED)["email"] != "changed@example.test"


def test_deactivation_example_is_inactive() -> None:
    assert example_payload(USER_DEACTIVATED)["active"] is False


def _user(**changes: Any) -> dict[str, Any]:
    return {**example_payload(USER_REGISTERED), **changes}


@pytest.mark.parametrize(
    "bad",
    [
        _user(userId="42"),
        _user(email="not-an-email"),
        _user(fullName=""),
        _user(roles="ROLE_ADMIN"),
        _user(roles=["admin"]),
        _user(active="maybe"),
        _user(color="blue"),
        _user(locale="Spanish"),
        {k: v for k, v in _user().items() if k != "email"},
    ],
)
def test_invalid_user_payloads_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        validate_payload(USER_REGISTERED, bad)


def test_unknown_fields_are_ignored_by_default_and_refused_in_strict_mode() -> None:
    data = _user(passwordHash="$argon2id$...")

    assert "password_hash" not in validate_payload(USER_REGISTERED, data).model_dump()
    with pytest.raises(UnexpectedFieldsError, match="passwordHash"):
        validate_payload(USER_REGISTERED, data, allow_unknown_fields=False)


def test_user_contract_never_defines_a_password_field() -> None:
    assert not any("password" in name.lower() for name in UserData.wire_names())


def test_colour_may_be_null_for_staff_off_the_calendar() -> None:
    assert validate_payload(USER_REGISTERED, _user(color=None)).model_dump()["color"] is None


def test_unknown_event_type_is_reported() -> None:
    with pytest.raises(UnknownEventTypeError):
        validate_payload("user.teleported", {})
    with pytest.raises(UnknownEventTypeError):
        example_envelope("user.teleported")
