"""The admin's session policy: how long a session may last at most, whatever the activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clinic_identity.models import SessionSettings
from clinic_identity.sessions import SessionLimits
from clinic_shared.db import reading
from clinic_shared.errors import ExpectedVersion

# A working day plus a margin: staff sign in once in the morning (shown until an admin saves).
DEFAULT_MAX_SESSION_HOURS = 10
MIN_MAX_SESSION_HOURS = 1
MAX_MAX_SESSION_HOURS = 24
_ROW_ID = 1


@dataclass(frozen=True)
class SessionPolicy:
    """The absolute maximum in hours; version 0 until an admin first saves the policy."""

    max_session_hours: int
    version: int
    updated_at: datetime | None = None


DEFAULT_POLICY = SessionPolicy(max_session_hours=DEFAULT_MAX_SESSION_HOURS, version=0)


def current_policy(db: Session) -> SessionPolicy:
    """The stored policy, or the default (inside the caller's transaction if any)."""
    with reading(db):
        row = db.get(SessionSettings, _ROW_ID)
        if row is None:
            return DEFAULT_POLICY
        return SessionPolicy(row.max_session_hours, row.version, row.updated_at)


def session_limits(db: Session, idle: timedelta) -> SessionLimits:
    """The limits a login or refresh applies now: ``idle`` and the admin's maximum."""
    return SessionLimits(idle=idle, maximum=timedelta(hours=current_policy(db).max_session_hours))


def update_policy(
    db: Session, max_session_hours: int, expected: ExpectedVersion, *, by: str, now: datetime
) -> SessionPolicy:
    """Replace the maximum (If-Match); live sessions follow it at their next refresh."""
    with db.begin():
        row = db.get(SessionSettings, _ROW_ID, with_for_update=True)
        expected.check(row.version if row else 0, "the session settings")
        if row is None:
            row = SessionSettings(id=_ROW_ID, version=0)
            db.add(row)
        row.max_session_hours = max_session_hours
        row.updated_at = now
        row.updated_by = by
        row.version += 1
        db.flush()
        return SessionPolicy(row.max_session_hours, row.version, row.updated_at)
