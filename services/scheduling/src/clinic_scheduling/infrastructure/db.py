"""What the storage modules share: a read transaction, times in and out of DATETIME columns."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime

from sqlalchemy import Table, delete
from sqlalchemy.orm import Session


def reading(session: Session) -> AbstractContextManager[object]:
    """A transaction for reads, unless the caller already holds one."""
    return nullcontext() if session.in_transaction() else session.begin()


def to_db(moment: datetime) -> datetime:
    """Aware datetime -> naive UTC for a DATETIME column."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    """Naive UTC from a DATETIME column -> aware UTC."""
    return moment.replace(tzinfo=UTC)


def empty(session: Session, *tables: Table) -> None:
    """Delete every row of ``tables`` (the test reset, a read-model rebuild)."""
    for table in tables:
        session.execute(delete(table))
