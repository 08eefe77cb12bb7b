"""Appointment types: everyone reads them, admins add and change them."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointment_types import DEFAULT_TYPES, AppointmentType
from clinic_scheduling.infrastructure import appointment_types as stored
from clinic_shared.db import reading
from clinic_shared.errors import ConflictError, ExpectedVersion, NotFoundError


def list_types(session: Session) -> list[AppointmentType]:
    """Every type, by code."""
    with reading(session):
        return stored.all_types(session)


def _existing(session: Session, code: str, *, lock: bool = False) -> AppointmentType:
    found = stored.get(session, code, lock=lock)
    if found is None:
        raise NotFoundError(f"{code} was not found")
    return found


def get_type(session: Session, code: str) -> AppointmentType:
    """One type; 404 if unknown."""
    with reading(session):
        return _existing(session, code)


def create_type(session: Session, item: AppointmentType) -> AppointmentType:
    """Add a type at version 1; 409 if the code is taken."""
    created = replace(item, version=1)
    with session.begin():
        if stored.get(session, item.code) is not None:
            raise ConflictError(f"appointment type {item.code!r} already exists")
        stored.add(session, created)
        return _existing(session, item.code)


def update_type(
    session: Session, item: AppointmentType, expected: ExpectedVersion
) -> AppointmentType:
    """Replace a type's names, duration, colour and active flag (If-Match checked)."""
    with session.begin():
        current = _existing(session, item.code, lock=True)
        expected.check(current.version)
        stored.save(session, replace(item, version=current.version + 1))
        return _existing(session, item.code)


def ensure_defaults(session: Session) -> int:
    """Insert the default types that are missing (idempotent); returns how many were added."""
    with session.begin():
        known = stored.codes(session)
        missing = [item for item in DEFAULT_TYPES if item.code not in known]
        for item in missing:
            stored.add(session, item)
    return len(missing)
