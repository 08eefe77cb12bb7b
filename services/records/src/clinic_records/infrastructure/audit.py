"""The read audit: one row per response carrying clinical content; only ever inserted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic_records.infrastructure.tables import read_audit
from clinic_shared.db import from_db, to_db


@dataclass(frozen=True)
class Reader:
    """Who is reading, as the audit records them."""

    user_id: str
    roles: tuple[str, ...]
    request_id: str | None


@dataclass(frozen=True)
class AuditRow:
    """One audited read."""

    id: int
    user_id: str
    roles: str
    patient_id: str | None
    action: str
    resource_id: str | None
    read_at: datetime
    request_id: str | None


def record_read(
    session: Session,
    reader: Reader,
    action: str,
    patient_id: str | None,
    resource_id: str | None,
    now: datetime,
) -> None:
    """Append one audit row (inside the reading transaction)."""
    session.execute(
        insert(read_audit).values(
            user_id=reader.user_id,
            roles=",".join(reader.roles)[:200],
            patient_id=patient_id,
            action=action,
            resource_id=resource_id,
            read_at=to_db(now),
            request_id=reader.request_id,
        )
    )


def search(
    session: Session,
    *,
    patient_id: str | None,
    user_id: str | None,
    since: datetime | None,
    until: datetime | None,
    offset: int,
    limit: int,
) -> list[AuditRow]:
    """Audit rows matching the filters, newest first."""
    query = select(read_audit)
    if patient_id is not None:
        query = query.where(read_audit.c.patient_id == patient_id)
    if user_id is not None:
        query = query.where(read_audit.c.user_id == user_id)
    if since is not None:
        query = query.where(read_audit.c.read_at >= to_db(since))
    if until is not None:
        query = query.where(read_audit.c.read_at < to_db(until))
    query = query.order_by(read_audit.c.read_at.desc(), read_audit.c.id.desc())
    rows = session.execute(query.offset(offset).limit(limit))
    return [AuditRow(**{**row._mapping, "read_at": from_db(row.read_at)}) for row in rows]
