"""Payments received against issued invoices (rows are only ever added)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic_billing.domain.invoices import Payment, PaymentMethod
from clinic_billing.infrastructure.tables import payments
from clinic_shared.clock import utcnow


def add(session: Session, payment: Payment, created_by: str | None) -> None:
    """Insert a payment."""
    session.execute(
        insert(payments).values(
            id=str(payment.id),
            invoice_id=str(payment.invoice_id),
            amount=payment.amount,
            method=payment.method,
            paid_on=payment.paid_on,
            created_by=created_by,
            created_at=utcnow(),
        )
    )


def of_invoices(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, list[Payment]]:
    """The payments of each invoice, oldest first."""
    found: dict[UUID, list[Payment]] = {invoice_id: [] for invoice_id in invoice_ids}
    if not invoice_ids:
        return found
    query = (
        select(payments)
        .where(payments.c.invoice_id.in_([str(i) for i in invoice_ids]))
        .order_by(payments.c.paid_on, payments.c.created_at, payments.c.id)
    )
    for row in session.execute(query):
        invoice_id = UUID(row.invoice_id)
        found[invoice_id].append(
            Payment(
                id=UUID(row.id),
                invoice_id=invoice_id,
                amount=row.amount,
                method=cast(PaymentMethod, row.method),
                paid_on=row.paid_on,
            )
        )
    return found
