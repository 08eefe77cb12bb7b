"""Which failures are the infrastructure's (retried without limit) and which the event's own."""

from __future__ import annotations

import pytest
import redis.exceptions as redis_exc
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from clinic_shared.contracts import validate_payload
from clinic_shared.events import is_infrastructure_error


def _operational() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionError("2003: can't connect"))


@pytest.mark.parametrize(
    "exc",
    [
        _operational(),
        PoolTimeout("QueuePool limit reached"),
        redis_exc.ConnectionError("Connection refused"),
        redis_exc.TimeoutError("Timeout reading"),
        ConnectionResetError(),
    ],
)
def test_outages_are_infrastructure(exc: BaseException) -> None:
    assert is_infrastructure_error(exc)


def test_a_wrapped_outage_is_infrastructure() -> None:
    wrapped = RuntimeError("could not apply")
    wrapped.__cause__ = _operational()
    assert is_infrastructure_error(wrapped)


def test_bad_events_and_bugs_are_not() -> None:
    with pytest.raises(ValidationError) as invalid:
        validate_payload("user.registered", {"userId": "not a uuid"})
    assert not is_infrastructure_error(invalid.value)
    assert not is_infrastructure_error(IntegrityError("INSERT", {}, Exception("1062 duplicate")))
    assert not is_infrastructure_error(ValueError("bug"))
    assert not is_infrastructure_error(KeyError("missing"))
