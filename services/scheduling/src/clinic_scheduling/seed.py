"""Demo data and the test reset: appointment types, and hours for the known practitioners.

Practitioners and patients arrive only as events, perhaps after ``seed-demo`` ran, so the
demo physiotherapists' hours are not seeded here: every practitioner gets the clinic's
usual hours (Mon–Fri 09:00–14:00, 15:00–19:00) when their first user event is consumed.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clinic_scheduling.application.types import ensure_defaults
from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE
from clinic_scheduling.infrastructure import hours
from clinic_scheduling.infrastructure.tables import (
    absences,
    appointment_types,
    appointments,
    outbox,
    practitioners,
)


def seed_demo(session: Session) -> int:
    """Make sure the default appointment types exist (idempotent); returns how many were added."""
    return ensure_defaults(session)


def reset(session: Session) -> None:
    """Empty appointments, absences, pending events and types; practitioners get default hours.

    The read models stay: they mirror other services and their events will not come again.
    """
    with session.begin():
        for table in (appointments, absences, outbox, appointment_types):
            session.execute(delete(table))
        known = session.execute(
            select(practitioners.c.id).where(practitioners.c.is_practitioner.is_(True))
        ).scalars()
        for practitioner_id in list(known):
            hours.replace_periods(session, UUID(practitioner_id), DEFAULT_TEMPLATE)
    seed_demo(session)
