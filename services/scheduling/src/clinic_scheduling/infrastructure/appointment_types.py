"""Storage of the appointment types."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointment_types import AppointmentType
from clinic_scheduling.infrastructure.tables import appointment_types


def _values(item: AppointmentType) -> dict[str, Any]:
    return {
        "name_es": item.name_es,
        "name_en": item.name_en,
        "duration_minutes": item.duration_minutes,
        "color": item.color,
        "active": item.active,
        "version": item.version,
    }


def all_types(session: Session) -> list[AppointmentType]:
    """Every type, by code."""
    rows = session.execute(select(appointment_types).order_by(appointment_types.c.code))
    return [AppointmentType(**row._mapping) for row in rows]


def get(session: Session, code: str, *, lock: bool = False) -> AppointmentType | None:
    """One type, or None; ``lock`` holds it for a change."""
    query = select(appointment_types).where(appointment_types.c.code == code)
    row = session.execute(query.with_for_update() if lock else query).first()
    return AppointmentType(**row._mapping) if row else None


def codes(session: Session) -> set[str]:
    """The codes of every type."""
    return set(session.execute(select(appointment_types.c.code)).scalars())


def add(session: Session, item: AppointmentType) -> None:
    """Insert a new type (at its ``version``)."""
    session.execute(insert(appointment_types).values(code=item.code, **_values(item)))


def save(session: Session, item: AppointmentType) -> None:
    """Write back a changed type (its version already bumped by the caller)."""
    session.execute(
        update(appointment_types)
        .where(appointment_types.c.code == item.code)
        .values(**_values(item))
    )
