"""The time: aware UTC for rules, naive UTC for DATETIME columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# A service's clock, held by its composition root so tests can stop or move time.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Now in UTC without tzinfo: the form DATETIME columns store on MariaDB and SQLite."""
    return datetime.now(UTC).replace(tzinfo=None)
