"""Counting patient appointments for the dashboard's figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_scheduling.infrastructure.tables import appointments
from clinic_shared.db import to_db


def count_booked(
    session: Session,
    *,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    statuses: Sequence[str] = (),
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
    return int(session.execute(query).scalar_one())
