"""Storage of the billable sessions: completed appointments and what each one charges."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import billable_sessions, customers, patients
from clinic_shared.db import from_db, to_db

UNINVOICED = "uninvoiced"
REVERSED = "reversed"


@dataclass(frozen=True, kw_only=True)
class SessionCharge:
    """What a session charges and who pays it (``payer_id`` None: the patient)."""

    service_code: str | None
    description: str
    price: Decimal
    vat_rate: Decimal
    exemption: str | None
    payer_id: str | None


@dataclass(frozen=True, kw_only=True)
class CompletedAppointment:
    """The appointment a session charges for, as scheduling last described it."""

    appointment_id: str
    patient_id: str
    practitioner_id: str
    appointment_type: str | None
    starts_at: datetime  # aware


@dataclass(frozen=True)
class HeldSession:
    """A stored session's status and the appointment version it reflects."""

    status: str
    entity_version: int


@dataclass(frozen=True, kw_only=True)
class BillableSession:
    """A session as listed, with its patient's and payer's names."""

    appointment_id: str
    patient_id: str
    patient_name: str | None
    practitioner_id: str
    appointment_type: str | None
    service_code: str | None
    description: str
    starts_at: datetime
    price: Decimal
    vat_rate: Decimal
    exemption: str | None
    payer_id: str | None
    payer_name: str | None
    status: str
    invoice_id: str | None


def held(session: Session, appointment_id: str) -> HeldSession | None:
    """The session's status and version, locked for the change an event brings; or None."""
    query = (
        select(billable_sessions.c.status, billable_sessions.c.entity_version)
        .where(billable_sessions.c.appointment_id == appointment_id)
        .with_for_update()
    )
    row = session.execute(query).first()
    return HeldSession(row.status, row.entity_version) if row else None


def save_uninvoiced(
    session: Session,
    appointment: CompletedAppointment,
    charge: SessionCharge,
    *,
    version: int,
    now: datetime,
    exists: bool,
) -> None:
    """Store the session as uninvoiced with ``charge`` (new, or replacing what it held)."""
    values: dict[str, Any] = {
        **asdict(appointment),
        **asdict(charge),
        "starts_at": to_db(appointment.starts_at),
        "status": UNINVOICED,
        "invoice_id": None,
        "entity_version": version,
        "updated_at": now,
    }
    if exists:
        appointment_id = values.pop("appointment_id")
        session.execute(
            update(billable_sessions)
            .where(billable_sessions.c.appointment_id == appointment_id)
            .values(**values)
        )
    else:
        session.execute(insert(billable_sessions).values(**values))


def reverse(session: Session, appointment_id: str, *, version: int, now: datetime) -> None:
    """Mark the session reversed (its completion was taken back) at ``version``."""
    session.execute(
        update(billable_sessions)
        .where(billable_sessions.c.appointment_id == appointment_id)
        .values(status=REVERSED, entity_version=version, updated_at=now)
    )


def uninvoiced_types_of(session: Session, patient_id: str) -> dict[str, str | None]:
    """The patient's uninvoiced sessions (appointment id → type), locked for re-charging."""
    query = (
        select(billable_sessions.c.appointment_id, billable_sessions.c.appointment_type)
        .where(
            billable_sessions.c.patient_id == patient_id,
            billable_sessions.c.status == UNINVOICED,
        )
        .order_by(billable_sessions.c.appointment_id)
        .with_for_update()
    )
    return {row.appointment_id: row.appointment_type for row in session.execute(query)}


def recharge(session: Session, appointment_id: str, charge: SessionCharge, now: datetime) -> None:
    """Replace what an uninvoiced session charges and who pays it."""
    session.execute(
        update(billable_sessions)
        .where(
            billable_sessions.c.appointment_id == appointment_id,
            billable_sessions.c.status == UNINVOICED,
        )
        .values(**asdict(charge), updated_at=now)
    )


_payers = customers.alias("payers")


def search(
    session: Session,
    *,
    patient_id: str | None = None,
    payer_id: str | None = None,
    uninvoiced: bool = False,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    offset: int = 0,
    limit: int = 16,
) -> list[BillableSession]:
    """Sessions oldest first (ties by appointment id); times aware UTC in and out."""
    query = (
        select(
            billable_sessions,
            patients.c.full_name.label("patient_name"),
            _payers.c.name.label("payer_name"),
        )
        .outerjoin(patients, patients.c.id == billable_sessions.c.patient_id)
        .outerjoin(_payers, _payers.c.id == billable_sessions.c.payer_id)
    )
    if patient_id is not None:
        query = query.where(billable_sessions.c.patient_id == patient_id)
    if payer_id is not None:
        query = query.where(billable_sessions.c.payer_id == payer_id)
    if uninvoiced:
        query = query.where(billable_sessions.c.status == UNINVOICED)
    if starts_from is not None:
        query = query.where(billable_sessions.c.starts_at >= to_db(starts_from))
    if starts_before is not None:
        query = query.where(billable_sessions.c.starts_at < to_db(starts_before))
    query = query.order_by(billable_sessions.c.starts_at, billable_sessions.c.appointment_id)
    rows = session.execute(query.offset(offset).limit(limit))
    wanted = BillableSession.__dataclass_fields__
    return [
        BillableSession(
            **{
                **{name: value for name, value in row._mapping.items() if name in wanted},
                "starts_at": from_db(row.starts_at),
            }
        )
        for row in rows
    ]
