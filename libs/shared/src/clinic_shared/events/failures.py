"""Telling an infrastructure failure (retry it, however long) from a bad event (dead-letter it)."""

from __future__ import annotations

import redis.exceptions as redis_exc
from sqlalchemy import exc as sa_exc

# Raised when the database or Redis cannot serve now: the event is fine, the world is not.
_INFRASTRUCTURE: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,  # connection refused/lost, server gone, lock wait, deadlock…
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # no pooled connection came free in time
    redis_exc.ConnectionError,
    redis_exc.TimeoutError,
    ConnectionError,
    TimeoutError,
)


def is_infrastructure_error(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) says a dependency is down, not the event is bad.

    Such a failure is retried without limit: counting it against the poison budget would park
    every in-flight event during a database outage. Everything else (a payload its contract
    rejects, a handler's bug, an integrity error) is the event's own and counts.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _INFRASTRUCTURE):
            return True
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False
