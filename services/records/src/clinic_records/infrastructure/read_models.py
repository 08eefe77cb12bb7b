"""The read models kept from events: patients, practitioners, completed sessions.

Each row keeps the producer's ``entityVersion``; an older event is not written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from clinic_records.infrastructure.tables import patients, practitioners, sessions
from clinic_shared.db import from_db, to_db

COMPLETED = "completed"
UNDONE = "undone"


def _upsert(
    session: Session, table: Table, key: str, row_id: str, version: int, **values: Any
) -> bool:
    column = table.c[key]
    held = session.execute(
        select(table.c.entity_version).where(column == row_id).with_for_update()
    ).first()
    if held is None:
        session.execute(insert(table).values({key: row_id, "entity_version": version, **values}))
        return True
    if version < held.entity_version:
        return False
    session.execute(update(table).where(column == row_id).values(entity_version=version, **values))
    return True


def upsert_patient(session: Session, patient_id: str, version: int, **values: Any) -> bool:
    """Insert or update the patient unless a newer version is held; True if written."""
    return _upsert(session, patients, "id", patient_id, version, **values)


def upsert_practitioner(session: Session, user_id: str, version: int, **values: Any) -> bool:
    """Insert or update the staff member unless a newer version is held; True if written."""
    return _upsert(session, practitioners, "id", user_id, version, **values)


def upsert_session(session: Session, appointment_id: str, version: int, **values: Any) -> bool:
    """Insert or update the completed session unless a newer version is held; True if written."""
    return _upsert(session, sessions, "appointment_id", appointment_id, version, **values)


def patient_exists(session: Session, patient_id: str) -> bool:
    """True when events.patients has told of this patient."""
    query = select(patients.c.id).where(patients.c.id == patient_id)
    return session.execute(query).first() is not None


def patient_name(session: Session, patient_id: str) -> str | None:
    """The patient's full name as events.patients last told it, or None if unknown."""
    query = select(patients.c.full_name).where(patients.c.id == patient_id)
    return session.execute(query).scalar_one_or_none()


def staff_names(session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    """The full names of the staff members among ``user_ids`` known from events.identity."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    query = select(practitioners.c.id, practitioners.c.full_name).where(
        practitioners.c.id.in_(wanted)
    )
    return {row.id: row.full_name for row in session.execute(query)}


def is_practitioner(session: Session, user_id: str) -> bool:
    """True for a known, active practitioner."""
    query = select(practitioners.c.id).where(
        practitioners.c.id == user_id,
        practitioners.c.is_practitioner.is_(True),
        practitioners.c.active.is_(True),
    )
    return session.execute(query).first() is not None


def mark_noted(session: Session, appointment_id: str, entry_id: str) -> None:
    """The session now has a signed note."""
    session.execute(
        update(sessions)
        .where(sessions.c.appointment_id == appointment_id, sessions.c.note_entry_id.is_(None))
        .values(note_entry_id=entry_id)
    )


@dataclass(frozen=True)
class OpenSession:
    """A completed session still without a signed note."""

    appointment_id: str
    practitioner_id: str
    patient_id: str | None
    patient_name: str | None
    starts_at: datetime


def _without_note(practitioner_id: str | None) -> Any:
    query = select(sessions).where(
        sessions.c.status == COMPLETED, sessions.c.note_entry_id.is_(None)
    )
    if practitioner_id is not None:
        query = query.where(sessions.c.practitioner_id == practitioner_id)
    return query


def without_note(
    session: Session, practitioner_id: str, offset: int, limit: int
) -> list[OpenSession]:
    """A practitioner's completed sessions without a signed note, oldest first."""
    base = _without_note(practitioner_id).subquery()
    query = (
        select(base, patients.c.full_name)
        .outerjoin(patients, patients.c.id == base.c.patient_id)
        .order_by(base.c.starts_at, base.c.appointment_id)
        .offset(offset)
        .limit(limit)
    )
    return [
        OpenSession(
            row.appointment_id,
            row.practitioner_id,
            row.patient_id,
            row.full_name,
            from_db(row.starts_at),
        )
        for row in session.execute(query)
    ]


def count_without_note(
    session: Session, practitioner_id: str | None, since: datetime, until: datetime
) -> int:
    """Sessions without a note starting in [since, until) (of one practitioner or all)."""
    base = _without_note(practitioner_id).where(
        sessions.c.starts_at >= to_db(since), sessions.c.starts_at < to_db(until)
    )
    return int(session.execute(select(func.count()).select_from(base.subquery())).scalar_one())


def has_session(session: Session, appointment_id: str) -> bool:
    """True when a completion of this appointment was recorded."""
    query = select(sessions.c.appointment_id).where(sessions.c.appointment_id == appointment_id)
    return session.execute(query).first() is not None
