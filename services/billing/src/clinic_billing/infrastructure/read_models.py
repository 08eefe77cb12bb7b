"""The patient read model: upserts from events.patients, guarded by the producer's version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import patients


@dataclass(frozen=True)
class KnownPatient:
    """A patient as billing knows them (what a customer is made from)."""

    id: str
    full_name: str
    tax_id: str | None
    email: str | None
    phone: str | None
    status: str
    preferred_locale: str
    address: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    country: str | None


def upsert_patient(session: Session, patient_id: str, version: int, **values: Any) -> bool:
    """Insert or update the patient unless a newer version is held; True if written.

    An equal version is written again (the same state: idempotent), so events from before
    versions existed (version 0) still apply in arrival order among themselves.
    """
    held = session.execute(
        select(patients.c.entity_version).where(patients.c.id == patient_id).with_for_update()
    ).first()
    if held is None:
        session.execute(insert(patients).values(id=patient_id, entity_version=version, **values))
        return True
    if version < held.entity_version:
        return False
    session.execute(
        update(patients).where(patients.c.id == patient_id).values(entity_version=version, **values)
    )
    return True


def get_patient(session: Session, patient_id: str, *, lock: bool = False) -> KnownPatient | None:
    """The patient, or None; ``lock`` queues concurrent makers of the same patient's customer."""
    wanted = [patients.c[name] for name in KnownPatient.__dataclass_fields__]
    query = select(*wanted).where(patients.c.id == patient_id)
    row = session.execute(query.with_for_update() if lock else query).first()
    return KnownPatient(**row._mapping) if row else None
