"""The practitioner and patient read models: upserts from events, locks and names for bookings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointments import Appointment, NamedAppointment
from clinic_scheduling.infrastructure.tables import patients, practitioners
from clinic_shared.db import empty


def _upsert(
    session: Session, table: Table, row_id: UUID, version: int, values: dict[str, Any]
) -> bool:
    """Insert or update the row unless it already holds a newer version; True if written.

    An equal version is written again (the same state: idempotent), so events from before
    versions existed (version 0) still apply in arrival order among themselves.
    """
    held = session.execute(
        select(table.c.entity_version).where(table.c.id == str(row_id)).with_for_update()
    ).first()
    if held is None:
        session.execute(insert(table).values(id=str(row_id), entity_version=version, **values))
        return True
    if version < held.entity_version:
        return False
    session.execute(
        update(table).where(table.c.id == str(row_id)).values(entity_version=version, **values)
    )
    return True


def upsert_practitioner(session: Session, user_id: UUID, version: int, **values: Any) -> bool:
    """Upsert a staff member (``full_name``, ``email``…) at ``version``; False if older."""
    return _upsert(session, practitioners, user_id, version, values)


def upsert_patient(session: Session, patient_id: UUID, version: int, **values: Any) -> bool:
    """Upsert a patient (``full_name``, ``phone``, ``status``) at ``version``; False if older."""
    return _upsert(session, patients, patient_id, version, values)


def is_practitioner(session: Session, user_id: UUID) -> bool:
    """Whether the staff member is known and holds the practitioner role."""
    query = select(practitioners.c.is_practitioner).where(practitioners.c.id == str(user_id))
    return bool(session.execute(query).scalar())


def practitioner_ids(session: Session) -> list[UUID]:
    """Every known practitioner (staff holding the practitioner role)."""
    query = select(practitioners.c.id).where(practitioners.c.is_practitioner.is_(True))
    return [UUID(row_id) for row_id in session.execute(query).scalars()]


def clear(session: Session) -> None:
    """Empty both read models (before a rebuild from the streams)."""
    empty(session, practitioners, patients)


def practitioner(session: Session, practitioner_id: UUID) -> Row[Any] | None:
    """The practitioner's read-model row (no lock)."""
    query = select(practitioners).where(practitioners.c.id == str(practitioner_id))
    return session.execute(query).first()


def lock_practitioner(session: Session, practitioner_id: UUID) -> Row[Any] | None:
    """The practitioner's read-model row, locked: bookings for them queue behind this one.

    On MariaDB this is SELECT ... FOR UPDATE; SQLite ignores it, and needs nothing more
    because every transaction there starts with BEGIN IMMEDIATE (one writer at a time).
    Call it FIRST in a transaction, so the snapshot later reads see starts after the lock.
    """
    query = select(practitioners).where(practitioners.c.id == str(practitioner_id))
    return session.execute(query.with_for_update()).first()


def lock_patient(session: Session, patient_id: UUID) -> Row[Any] | None:
    """The patient's read-model row, locked (always after the practitioner's: no deadlock)."""
    query = select(patients).where(patients.c.id == str(patient_id))
    return session.execute(query.with_for_update()).first()


def with_names(session: Session, found: Sequence[Appointment]) -> list[NamedAppointment]:
    """``found`` with their practitioner's and patient's full names (None when unknown)."""
    practitioners_wanted = {str(a.practitioner_id) for a in found}
    patients_wanted = {str(a.patient_id) for a in found if a.patient_id}
    practitioner_names: dict[str, str] = {}
    patient_names: dict[str, str] = {}
    if practitioners_wanted:
        rows = session.execute(
            select(practitioners.c.id, practitioners.c.full_name).where(
                practitioners.c.id.in_(practitioners_wanted)
            )
        )
        practitioner_names = {row.id: row.full_name for row in rows}
    if patients_wanted:
        rows = session.execute(
            select(patients.c.id, patients.c.full_name).where(patients.c.id.in_(patients_wanted))
        )
        patient_names = {row.id: row.full_name for row in rows}
    return [
        (
            a,
            practitioner_names.get(str(a.practitioner_id)),
            patient_names.get(str(a.patient_id)) if a.patient_id else None,
        )
        for a in found
    ]
