"""Billable sessions as invoices claim them: locked, reserved by a draft, invoiced, released.

A session on a draft is already ``invoiced`` with that draft's id (so no second draft takes it
and a late "completion undone" event leaves it alone); discarding the draft, or dropping the
session from it, makes it ``uninvoiced`` again. Rows are only ever written by primary key:
``invoice_id`` has no index, and on MariaDB an UPDATE filtered by it alone would lock every
row it scans, making two concurrent draft edits deadlock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import billable_sessions
from clinic_shared.clock import utcnow
from clinic_shared.db import from_db, to_db
from clinic_shared.write_batch import WriteBatch

UNINVOICED = "uninvoiced"
INVOICED = "invoiced"


@dataclass(frozen=True)
class BillableSession:
    """A completed appointment as billing prices it."""

    id: UUID
    patient_id: UUID
    description: str
    starts_at: datetime
    price: Decimal
    vat_rate: Decimal
    exemption: str | None
    payer_id: UUID | None
    status: str
    invoice_id: UUID | None


def lock(session: Session, session_ids: Sequence[UUID]) -> list[BillableSession]:
    """The sessions that exist among ``session_ids``, locked (in id order: one global order)."""
    if not session_ids:
        return []
    ids = sorted({str(i) for i in session_ids})
    query = (
        select(billable_sessions)
        .where(billable_sessions.c.appointment_id.in_(ids))
        .order_by(billable_sessions.c.appointment_id)
        .with_for_update()
    )
    return [
        BillableSession(
            id=UUID(row.appointment_id),
            patient_id=UUID(row.patient_id),
            description=row.description,
            starts_at=from_db(row.starts_at),
            price=row.price,
            vat_rate=row.vat_rate,
            exemption=row.exemption,
            payer_id=UUID(row.payer_id) if row.payer_id else None,
            status=row.status,
            invoice_id=UUID(row.invoice_id) if row.invoice_id else None,
        )
        for row in session.execute(query)
    ]


def uninvoiced_paid_by(
    session: Session, payer_id: UUID, starts_from: datetime, starts_before: datetime
) -> list[UUID]:
    """Ids of the payer's uninvoiced sessions starting in the range (not locked: lock them next)."""
    query = select(billable_sessions.c.appointment_id).where(
        billable_sessions.c.payer_id == str(payer_id),
        billable_sessions.c.status == UNINVOICED,
        billable_sessions.c.starts_at >= to_db(starts_from),
        billable_sessions.c.starts_at < to_db(starts_before),
    )
    return [UUID(value) for value in session.execute(query).scalars()]


def reserve(session: Session, session_ids: Collection[UUID], invoice_id: UUID) -> None:
    """Put the (locked, uninvoiced) sessions on the draft ``invoice_id``."""
    if not session_ids:
        return
    session.execute(
        update(billable_sessions)
        .where(billable_sessions.c.appointment_id.in_([str(i) for i in session_ids]))
        .values(status=INVOICED, invoice_id=str(invoice_id), updated_at=utcnow())
    )


def release(session: Session, session_ids: Collection[UUID], invoice_id: UUID) -> None:
    """Give these sessions of the draft ``invoice_id`` back: uninvoiced again."""
    if not session_ids:
        return
    session.execute(
        update(billable_sessions)
        .where(
            billable_sessions.c.appointment_id.in_([str(i) for i in session_ids]),
            billable_sessions.c.invoice_id == str(invoice_id),
        )
        .values(status=UNINVOICED, invoice_id=None, updated_at=utcnow())
    )


def mark_invoiced(writes: WriteBatch, session_ids: Collection[UUID], invoice_id: UUID) -> None:
    """At issue: the draft's sessions stay invoiced, now for good (stamped with the time)."""
    if not session_ids:
        return
    writes.execute(
        update(billable_sessions)
        .where(
            billable_sessions.c.appointment_id.in_([str(i) for i in session_ids]),
            billable_sessions.c.invoice_id == str(invoice_id),
        )
        .values(status=INVOICED, updated_at=utcnow())
    )
