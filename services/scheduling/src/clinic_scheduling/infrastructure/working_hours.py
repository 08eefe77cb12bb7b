"""Storage of working-hour templates and absences."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.domain.working_hours import Absence, WorkingPeriod
from clinic_scheduling.infrastructure.tables import absences, practitioners, working_periods
from clinic_shared.db import from_db, to_db


def periods_of(session: Session, practitioner_id: UUID) -> list[WorkingPeriod]:
    """The practitioner's weekly template, by weekday and start."""
    rows = session.execute(
        select(working_periods)
        .where(working_periods.c.practitioner_id == str(practitioner_id))
        .order_by(working_periods.c.weekday, working_periods.c.start_time)
    )
    return [WorkingPeriod(row.weekday, row.start_time, row.end_time) for row in rows]


def replace_periods(
    session: Session, practitioner_id: UUID, periods: Iterable[WorkingPeriod]
) -> None:
    """Replace the practitioner's weekly template."""
    session.execute(
        delete(working_periods).where(working_periods.c.practitioner_id == str(practitioner_id))
    )
    rows = [
        {
            "practitioner_id": str(practitioner_id),
            "weekday": p.weekday,
            "start_time": p.start,
            "end_time": p.end,
        }
        for p in periods
    ]
    if rows:
        session.execute(insert(working_periods), rows)


def template_version(session: Session, practitioner_id: UUID, *, lock: bool = False) -> int | None:
    """The version of the practitioner's template (None: no such practitioner); ``lock`` it."""
    query = select(practitioners.c.working_hours_version).where(
        practitioners.c.id == str(practitioner_id)
    )
    found = session.execute(query.with_for_update() if lock else query).first()
    return None if found is None else int(found[0])


def set_template_version(session: Session, practitioner_id: UUID, version: int) -> None:
    """Record the template's new version."""
    session.execute(
        update(practitioners)
        .where(practitioners.c.id == str(practitioner_id))
        .values(working_hours_version=version)
    )


def absences_of(
    session: Session, practitioner_id: UUID, start: datetime, end: datetime
) -> list[tuple[UUID, Absence, str | None]]:
    """Absences overlapping ``start``..``end`` with their ids and reasons."""
    rows = session.execute(
        select(absences)
        .where(
            absences.c.practitioner_id == str(practitioner_id),
            absences.c.starts_at < to_db(end),
            absences.c.ends_at > to_db(start),
        )
        .order_by(absences.c.starts_at)
    )
    return [
        (UUID(row.id), Absence(from_db(row.starts_at), from_db(row.ends_at)), row.reason)
        for row in rows
    ]


def add_absence(
    session: Session, practitioner_id: UUID, absence: Absence, reason: str | None
) -> UUID:
    """Record an absence; returns its id."""
    absence_id = uuid.uuid4()
    session.execute(
        insert(absences).values(
            id=str(absence_id),
            practitioner_id=str(practitioner_id),
            starts_at=to_db(absence.starts_at),
            ends_at=to_db(absence.ends_at),
            reason=reason,
        )
    )
    return absence_id


def remove_absence(session: Session, practitioner_id: UUID, absence_id: UUID) -> bool:
    """Delete an absence; False if the practitioner has none with that id."""
    result = session.execute(
        delete(absences).where(
            absences.c.id == str(absence_id), absences.c.practitioner_id == str(practitioner_id)
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
