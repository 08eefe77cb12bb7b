"""Appointment types: admin-managed codes with a duration, a colour and Spanish/English names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.application.errors import ConflictError, NotFoundError
from clinic_scheduling.infrastructure.repository import reading
from clinic_scheduling.infrastructure.tables import appointment_types


@dataclass(frozen=True)
class AppointmentType:
    """One kind of visit; ``duration_minutes`` gives a new appointment its default end."""

    code: str
    name_es: str
    name_en: str
    duration_minutes: int
    color: str
    active: bool = True
    version: int = 1


DEFAULT_TYPES: tuple[AppointmentType, ...] = (
    AppointmentType("first_visit", "Valoración inicial", "Initial assessment", 60, "#2563EB"),
    AppointmentType("follow_up", "Sesión de fisioterapia", "Physiotherapy session", 45, "#16A34A"),
    AppointmentType("dry_needling", "Punción seca", "Dry needling", 30, "#DC2626"),
    AppointmentType("pelvic_floor", "Suelo pélvico", "Pelvic floor", 45, "#9333EA"),
    AppointmentType("sports_massage", "Masaje deportivo", "Sports massage", 30, "#EA580C"),
)


def _values(item: AppointmentType) -> dict[str, Any]:
    return {
        "name_es": item.name_es,
        "name_en": item.name_en,
        "duration_minutes": item.duration_minutes,
        "color": item.color,
        "active": item.active,
    }


def list_types(session: Session) -> list[AppointmentType]:
    """Every type, by code."""
    with reading(session):
        rows = session.execute(select(appointment_types).order_by(appointment_types.c.code))
        return [AppointmentType(**row._mapping) for row in rows]


def get_type(session: Session, code: str) -> AppointmentType:
    """One type; NotFoundError if unknown."""
    with reading(session):
        query = select(appointment_types).where(appointment_types.c.code == code)
        row = session.execute(query).first()
    if row is None:
        raise NotFoundError(code)
    return AppointmentType(**row._mapping)


def create_type(session: Session, item: AppointmentType) -> AppointmentType:
    """Add a type; ConflictError if the code is taken."""
    with session.begin():
        exists = session.execute(
            select(appointment_types.c.code).where(appointment_types.c.code == item.code)
        ).first()
        if exists:
            raise ConflictError(f"appointment type {item.code!r} already exists")
        session.execute(
            insert(appointment_types).values(code=item.code, version=1, **_values(item))
        )
    return get_type(session, item.code)


def update_type(
    session: Session, item: AppointmentType, check_version: Callable[[int], None]
) -> AppointmentType:
    """Replace a type's names, duration, colour and active flag (If-Match checked)."""
    with session.begin():
        current = get_type(session, item.code)
        check_version(current.version)
        session.execute(
            update(appointment_types)
            .where(appointment_types.c.code == item.code)
            .values(version=current.version + 1, **_values(item))
        )
    return get_type(session, item.code)


def ensure_defaults(session: Session) -> int:
    """Insert the default types that are missing (idempotent); returns how many were added."""
    added = 0
    with session.begin():
        known = set(session.execute(select(appointment_types.c.code)).scalars())
        for item in DEFAULT_TYPES:
            if item.code not in known:
                session.execute(
                    insert(appointment_types).values(code=item.code, version=1, **_values(item))
                )
                added += 1
    return added
