"""Reading and writing appointments; times cross this line as aware UTC."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict, Unpack, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Select, and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointments import (
    MAX_DURATION,
    Appointment,
    CancellationReason,
    Kind,
    NamedAppointment,
    Status,
)
from clinic_scheduling.infrastructure.tables import appointments, patients, practitioners
from clinic_shared.clock import utcnow
from clinic_shared.db import from_db, to_db

# What an Appointment is built from: the bookkeeping timestamps stay behind, as every column
# read costs the pure-Python driver time (a week view reads some fifty rows).
_FIELDS = [c for c in appointments.c if c.name not in ("created_at", "updated_at")]


def _appointment(row: Row[Any]) -> Appointment:
    return Appointment(
        id=UUID(row.id),
        practitioner_id=UUID(row.practitioner_id),
        patient_id=UUID(row.patient_id) if row.patient_id else None,
        kind=cast(Kind, row.kind),
        type=row.type,
        status=cast(Status, row.status),
        starts_at=from_db(row.starts_at),
        ends_at=from_db(row.ends_at),
        title=row.title,
        notes=row.notes,
        series_id=UUID(row.series_id) if row.series_id else None,
        version=row.version,
        cancellation_reason=cast(CancellationReason | None, row.cancellation_reason),
    )


def _columns(appointment: Appointment) -> dict[str, Any]:
    return {
        "practitioner_id": str(appointment.practitioner_id),
        "patient_id": str(appointment.patient_id) if appointment.patient_id else None,
        "kind": appointment.kind,
        "type": appointment.type,
        "status": appointment.status,
        "starts_at": to_db(appointment.starts_at),
        "ends_at": to_db(appointment.ends_at),
        "title": appointment.title,
        "notes": appointment.notes,
        "series_id": str(appointment.series_id) if appointment.series_id else None,
        "version": appointment.version,
        "cancellation_reason": appointment.cancellation_reason,
    }


def _starts_after(moment: datetime) -> ColumnElement[bool]:
    """What ends after ``moment`` started at most MAX_DURATION before it: a bound the index uses.

    ``ends_at > moment`` alone cannot narrow the (practitioner, starts_at, ends_at) range, so
    MariaDB would walk every earlier appointment of the practitioner (thousands after a year,
    5 ms a week view, 190 ms a booking check); with this lower bound it reads one day's worth.
    """
    return appointments.c.starts_at > to_db(moment - MAX_DURATION)


def overlapping(
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    practitioner_id: UUID,
    patient_id: UUID | None,
) -> list[Appointment]:
    """Non-cancelled appointments of the practitioner or the patient overlapping the interval."""
    who = appointments.c.practitioner_id == str(practitioner_id)
    if patient_id is not None:
        who = or_(who, appointments.c.patient_id == str(patient_id))
    query = select(*_FIELDS).where(
        and_(
            who,
            appointments.c.status != "cancelled",
            appointments.c.starts_at < to_db(ends_at),
            appointments.c.ends_at > to_db(starts_at),
            _starts_after(starts_at),
        )
    )
    return [_appointment(row) for row in session.execute(query)]


def add(session: Session, appointment: Appointment) -> None:
    """Insert a new appointment."""
    now = utcnow()
    session.execute(
        insert(appointments).values(
            id=str(appointment.id), created_at=now, updated_at=now, **_columns(appointment)
        )
    )


def save(session: Session, appointment: Appointment) -> None:
    """Write back a changed appointment (its version already bumped by the caller)."""
    session.execute(
        update(appointments)
        .where(appointments.c.id == str(appointment.id))
        .values(updated_at=utcnow(), **_columns(appointment))
    )


def remove(session: Session, appointment_id: UUID) -> None:
    """Delete an appointment row."""
    session.execute(delete(appointments).where(appointments.c.id == str(appointment_id)))


def get(session: Session, appointment_id: UUID, *, lock: bool = False) -> Appointment | None:
    """One appointment, or None; ``lock`` reads the latest version and holds it (edits)."""
    query = select(*_FIELDS).where(appointments.c.id == str(appointment_id))
    row = session.execute(query.with_for_update() if lock else query).first()
    return _appointment(row) if row else None


class Selection(TypedDict, total=False):
    """Whose appointments in which statuses, in what order (every filter optional)."""

    practitioner_id: UUID | None
    patient_id: UUID | None
    statuses: Sequence[str]
    descending: bool


class FindFilters(Selection, total=False):
    """What ``find`` and ``find_named`` select by: a ``Selection`` cut by time or by page."""

    start: datetime | None
    end: datetime | None
    starts_from: datetime | None
    starts_before: datetime | None
    offset: int
    limit: int | None


def _find_query(filters: FindFilters) -> Select[Any]:
    start, end = filters.get("start"), filters.get("end")
    starts_from, starts_before = filters.get("starts_from"), filters.get("starts_before")
    practitioner_id, patient_id = filters.get("practitioner_id"), filters.get("patient_id")
    statuses, limit = filters.get("statuses", ()), filters.get("limit")
    query = select(*_FIELDS)
    if start is not None:
        query = query.where(appointments.c.ends_at > to_db(start), _starts_after(start))
    if end is not None:
        query = query.where(appointments.c.starts_at < to_db(end))
    if starts_from is not None:
        query = query.where(appointments.c.starts_at >= to_db(starts_from))
    if starts_before is not None:
        query = query.where(appointments.c.starts_at < to_db(starts_before))
    if practitioner_id is not None:
        query = query.where(appointments.c.practitioner_id == str(practitioner_id))
    if patient_id is not None:
        query = query.where(appointments.c.patient_id == str(patient_id))
    if statuses:
        query = query.where(appointments.c.status.in_(list(statuses)))
    # (patient_id, starts_at) carries the id (InnoDB appends the primary key), so a patient's
    # page is read straight off that index in either direction, without a filesort.
    order = (appointments.c.starts_at, appointments.c.id)
    descending = filters.get("descending", False)
    query = query.order_by(*(c.desc() for c in order) if descending else order)
    query = query.offset(filters.get("offset", 0))
    if limit is not None:
        query = query.limit(limit)
    return query


def find(session: Session, **filters: Unpack[FindFilters]) -> list[Appointment]:
    """Appointments matching the filters, by start time (ties by id), latest first if asked.

    ``start``/``end`` keep whatever overlaps the range; ``starts_from``/``starts_before``
    keep what starts in it (a patient's upcoming or past visits).
    """
    return [_appointment(row) for row in session.execute(_find_query(filters))]


def find_named(session: Session, **filters: Unpack[FindFilters]) -> list[NamedAppointment]:
    """``find`` with the practitioner's and patient's names, joined from the read models.

    One query instead of three: on the pure-Python driver each statement costs more than the
    few extra columns (the calendar reads a week this way on every view).
    """
    query = (
        _find_query(filters)
        .outerjoin(practitioners, practitioners.c.id == appointments.c.practitioner_id)
        .outerjoin(patients, patients.c.id == appointments.c.patient_id)
        .add_columns(
            practitioners.c.full_name.label("practitioner_name"),
            patients.c.full_name.label("patient_name"),
        )
    )
    return [
        (_appointment(row), row.practitioner_name, row.patient_name)
        for row in session.execute(query)
    ]


def series_sessions_from(session: Session, series_id: UUID, starts_from: datetime) -> list[UUID]:
    """Ids of the series' scheduled sessions starting at or after ``starts_from``.

    Not locked: the caller locks each by id (a FOR UPDATE here would lock every index
    record the unindexed series filter scans).
    """
    query = select(appointments.c.id).where(
        appointments.c.series_id == str(series_id),
        appointments.c.starts_at >= to_db(starts_from),
        appointments.c.status == "scheduled",
    )
    return [UUID(row_id) for row_id in session.execute(query).scalars()]
