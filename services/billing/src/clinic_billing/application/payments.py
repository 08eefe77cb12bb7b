"""Payments: money received against an issued invoice, never more than it still owes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_billing.application.invoice_queries import InvoiceView, view_of
from clinic_billing.application.invoicing import locked_invoice
from clinic_billing.domain.invoices import payment_for, with_payment
from clinic_billing.domain.money import format_amount
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import payments as stored
from clinic_shared.contracts.billing import PaymentRecorded
from clinic_shared.errors import FieldError
from clinic_shared.events import OutboxWriter


def _check_day(issued_on: date | None, paid_on: date, today: date) -> None:
    # The domain checks this too, naming its own field; the API's field is paidOn.
    if issued_on is not None and paid_on < issued_on:
        raise FieldError("paidOn", "a payment cannot predate the invoice")
    if paid_on > today:
        raise FieldError("paidOn", "a payment cannot be dated in the future")


def record_payment(
    session: Session,
    events: OutboxWriter,
    invoice_id: UUID,
    *,
    amount: object,
    method: str,
    paid_on: date | None,
    today: date,
    created_by: str | None,
) -> InvoiceView:
    """Record a payment (``paid_on`` defaults to today); publishes payment.recorded.

    The invoice row is locked first, so two payments at once cannot both fit the balance.
    """
    with session.begin():
        current = locked_invoice(session, invoice_id)
        day = paid_on or today
        if current.status != "draft":  # a draft is refused below, with its own 409
            _check_day(current.issued_on, day, today)
        invoice = current.domain()
        payment = payment_for(invoice, amount, method, day)
        after = with_payment(invoice, payment)
        record = replace(current, paid=after.paid, status=after.status, version=after.version)
        repo.record_payment_state(session, record)
        stored.add(session, payment, created_by)
        assert record.number is not None
        events.add(
            session,
            PaymentRecorded.model_validate(
                {
                    "payment_id": payment.id,
                    "invoice_id": record.id,
                    "number": str(record.number),
                    "amount": format_amount(payment.amount),
                    "method": payment.method,
                    "paid_on": payment.paid_on,
                    "balance": format_amount(record.balance),
                    "status": record.status,
                    "entity_version": record.version,
                }
            ),
        )
        return view_of(session, record)
