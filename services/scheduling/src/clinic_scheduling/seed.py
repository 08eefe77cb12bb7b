"""Demo data and the test reset: appointment types, and hours for the known practitioners.

Practitioners and patients arrive only as events, perhaps after ``seed-demo`` ran, so the
demo physiotherapists' hours are not seeded here: every practitioner gets the clinic's
usual hours (Mon–Fri 09:00–14:00, 15:00–19:00) when their first user event is consumed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_scheduling.application.appointment_types import ensure_defaults
from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE
from clinic_scheduling.infrastructure import read_models, working_hours
from clinic_scheduling.infrastructure.tables import (
    absences,
    appointment_types,
    appointments,
    idempotency_keys,
    outbox,
)
from clinic_shared.db import empty


def seed_demo(session: Session) -> int:
    """Make sure the default appointment types exist (idempotent); returns how many were added."""
    return ensure_defaults(session)


def reset(session: Session) -> None:
    """Empty appointments, absences, pending events, idempotency keys and types.

    Practitioners get the default hours again. The read models stay: they mirror other
    services and their events will not come again.
    """
    with session.begin():
        empty(session, appointments, absences, outbox, idempotency_keys, appointment_types)
        for practitioner_id in read_models.practitioner_ids(session):
            working_hours.replace_periods(session, practitioner_id, DEFAULT_TEMPLATE)
    seed_demo(session)
