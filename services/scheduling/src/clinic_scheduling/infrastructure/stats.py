"""Counting patient appointments for the dashboard's figures and a patient's attendance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from clinic_scheduling.infrastructure.tables import appointments
from clinic_shared.db import to_db


def count_booked(
    session: Session,
    *,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    statuses: Sequence[str] = (),
    practitioner_id: str | None = None,
) -> int:
    """Patient appointments (not blocks or empty slots, not cancelled) starting in the range."""
    query = (
        select(func.count())
        .select_from(appointments)
        .where(appointments.c.kind == "appointment", appointments.c.status != "cancelled")
    )
    if starts_from is not None:
        query = query.where(appointments.c.starts_at >= to_db(starts_from))
    if starts_before is not None:
        query = query.where(appointments.c.starts_at < to_db(starts_before))
    if statuses:
        query = query.where(appointments.c.status.in_(list(statuses)))
    if practitioner_id is not None:
        query = query.where(appointments.c.practitioner_id == practitioner_id)
    return int(session.execute(query).scalar_one())


def missed_by_patient(session: Session, patient_id: UUID) -> tuple[int, int]:
    """The patient's no-shows and late cancellations, ever (one pass over their index range)."""
    status, reason = appointments.c.status, appointments.c.cancellation_reason
    late = and_(status == "cancelled", reason == "late")
    query = select(
        func.coalesce(func.sum(case((status == "no_show", 1), else_=0)), 0),
        func.coalesce(func.sum(case((late, 1), else_=0)), 0),
    ).where(appointments.c.patient_id == str(patient_id), appointments.c.kind == "appointment")
    no_shows, late_cancellations = session.execute(query).one()
    return int(no_shows), int(late_cancellations)
