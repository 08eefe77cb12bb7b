"""The read side without clinical text: the audit log, sessions without a note, the stats."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_records.infrastructure import audit, read_models
from clinic_records.infrastructure.audit import AuditRow
from clinic_records.infrastructure.read_models import OpenSession
from clinic_shared.db import reading

__all__ = ["AuditRow", "OpenSession", "audit_log", "sessions_without_note", "today_without_note"]


def audit_log(
    session: Session,
    *,
    patient_id: str | None,
    user_id: str | None,
    since: datetime | None,
    until: datetime | None,
    offset: int,
    limit: int,
) -> list[AuditRow]:
    """Who read whose clinical content, newest first."""
    with reading(session):
        return audit.search(
            session,
            patient_id=patient_id,
            user_id=user_id,
            since=since,
            until=until,
            offset=offset,
            limit=limit,
        )


def sessions_without_note(
    session: Session, practitioner_id: str, *, offset: int, limit: int
) -> list[OpenSession]:
    """A practitioner's completed sessions still waiting for a signed note, oldest first."""
    with reading(session):
        return read_models.without_note(session, practitioner_id, offset, limit)


def today_without_note(
    session: Session, practitioner_id: str | None, today: date, zone: ZoneInfo
) -> int:
    """How many of today's completed sessions (one practitioner's, or all) have no note yet."""
    start = datetime.combine(today, time(), zone)
    end = datetime.combine(today + timedelta(days=1), time(), zone)
    with reading(session):
        return read_models.count_without_note(session, practitioner_id, start, end)
