"""Invoices: the state machine, what may change when, and the payment rules.

``draft`` (editable, no number) → ``issued`` (number and date assigned together, immutable) →
``partially_paid`` → ``paid``. An issued invoice never changes and is never deleted (RD
1619/2012 art. 15: a mistake is corrected by a rectifying invoice), so every change to one is a
409; only a draft may be edited or discarded, and discarding it leaves no gap because it never
had a number.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from clinic_billing.domain.money import ZERO, parse_amount
from clinic_billing.domain.numbering import InvoiceNumber, Series
from clinic_billing.domain.totals import InvoiceLine, InvoiceTotals, totals
from clinic_shared.errors import ConflictError, FieldError

Status = Literal["draft", "issued", "partially_paid", "paid"]
PaymentMethod = Literal["cash", "card", "transfer", "bizum", "insurer"]

STATUSES: tuple[Status, ...] = ("draft", "issued", "partially_paid", "paid")
PAYMENT_METHODS: tuple[PaymentMethod, ...] = ("cash", "card", "transfer", "bizum", "insurer")

# Issuing is the only way out of draft; payments move an issued invoice forward; nothing comes
# back (a refund or a correction is a rectifying invoice, never a status change).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    "draft": frozenset({"issued"}),
    "issued": frozenset({"partially_paid", "paid"}),
    "partially_paid": frozenset({"partially_paid", "paid"}),
    "paid": frozenset(),
}

# RD 1619/2012 art. 4.1: a simplified invoice up to 400 € VAT included.
SIMPLIFIED_LIMIT = Decimal("400.00")

IMMUTABLE = "an issued invoice never changes; correct it with a rectifying invoice"


@dataclass(frozen=True)
class Invoice:
    """An invoice; ``number`` and ``issued_on`` are None while it is a draft."""

    id: UUID
    series: Series
    lines: tuple[InvoiceLine, ...]
    recipient_tax_id: str | None = None
    status: Status = "draft"
    number: InvoiceNumber | None = None
    issued_on: date | None = None
    paid: Decimal = ZERO
    version: int = 1

    @property
    def totals(self) -> InvoiceTotals:
        """Line amounts, the VAT breakdown and the total (negative allowed for series R)."""
        return totals(self.lines, rectifying=self.series == "R")

    @property
    def balance(self) -> Decimal:
        """What is still to be paid (0 on a draft: nothing is owed before it is issued)."""
        return ZERO if self.status == "draft" else self.totals.total - self.paid


@dataclass(frozen=True)
class Payment:
    """Money received against an issued invoice."""

    id: UUID
    invoice_id: UUID
    amount: Decimal
    method: PaymentMethod
    paid_on: date


def new_draft(
    series: Series, lines: Sequence[InvoiceLine], recipient_tax_id: str | None = None
) -> Invoice:
    """A draft with these lines (checked now, so a draft's totals always compute)."""
    draft = Invoice(uuid.uuid4(), series, tuple(lines), recipient_tax_id)
    _ = draft.totals
    return draft


def check_transition(current: Status, new: Status) -> None:
    """409 unless TRANSITIONS allows ``current`` → ``new``."""
    if new not in TRANSITIONS[current]:
        raise ConflictError(f"a {current} invoice cannot become {new}")


def check_editable(invoice: Invoice) -> None:
    """Only a draft may change (409 otherwise)."""
    if invoice.status != "draft":
        raise ConflictError(IMMUTABLE)


def edited(
    invoice: Invoice,
    *,
    lines: Sequence[InvoiceLine] | None = None,
    recipient_tax_id: str | None = None,
) -> Invoice:
    """The draft with new lines and/or recipient, one version later; 409 once issued."""
    check_editable(invoice)
    changed = replace(
        invoice,
        lines=tuple(lines) if lines is not None else invoice.lines,
        recipient_tax_id=recipient_tax_id
        if recipient_tax_id is not None
        else invoice.recipient_tax_id,
        version=invoice.version + 1,
    )
    _ = changed.totals
    return changed


def check_deletable(invoice: Invoice) -> None:
    """A draft may be discarded; an issued invoice is cancelled only by rectification (409)."""
    if invoice.status != "draft":
        raise ConflictError(
            "an issued invoice is never deleted; cancel it with a rectifying invoice"
        )


def check_issuable(invoice: Invoice) -> None:
    """What the series asks of an invoice before it takes a number."""
    check_transition(invoice.status, "issued")
    total = invoice.totals.total
    if invoice.series == "F" and not invoice.recipient_tax_id:
        raise FieldError("customerId", "an ordinary invoice needs the recipient's tax id")
    if invoice.series == "S" and total > SIMPLIFIED_LIMIT:
        raise FieldError("series", f"a simplified invoice is for totals up to {SIMPLIFIED_LIMIT} €")
    if invoice.series != "R" and total < 0:
        raise FieldError("lines", "only a rectifying invoice may have a negative total")


def check_recipient_address(invoice: Invoice, address: str | None) -> None:
    """An ordinary invoice names the recipient's address too (RD 1619/2012 art. 6.1.e)."""
    if invoice.series == "F" and not (address and address.strip()):
        raise FieldError("customerId", "an ordinary invoice needs the recipient's address")


def issued(invoice: Invoice, number: InvoiceNumber, issued_on: date) -> Invoice:
    """The draft issued with ``number`` and ``issued_on`` (taken together from the counter)."""
    check_issuable(invoice)
    if number.series != invoice.series:
        raise ValueError(f"number {number} is not of series {invoice.series}")
    if number.year != issued_on.year:
        raise ValueError(f"number {number} is not of the year of {issued_on.isoformat()}")
    return replace(
        invoice, status="issued", number=number, issued_on=issued_on, version=invoice.version + 1
    )


def payment_for(invoice: Invoice, amount: object, method: str, paid_on: date) -> Payment:
    """A payment of ``amount`` (string, int or Decimal; never float) if the rules allow it.

    None on a draft (409); positive, at most the outstanding balance, two decimals (422).
    """
    if invoice.status == "draft":
        raise ConflictError("a draft is not owed yet; issue it before recording payments")
    if method not in PAYMENT_METHODS:
        raise FieldError("method", f"must be one of {', '.join(PAYMENT_METHODS)}")
    value = parse_amount(amount, "amount")
    if value <= 0:
        raise FieldError("amount", "must be positive")
    balance = invoice.balance
    if balance <= 0:
        raise ConflictError("nothing is outstanding on this invoice")
    if value > balance:
        raise FieldError("amount", f"must be at most the outstanding balance, {balance}")
    assert invoice.issued_on is not None
    if paid_on < invoice.issued_on:
        raise FieldError("date", "a payment cannot predate the invoice")
    return Payment(uuid.uuid4(), invoice.id, value, method, paid_on)


def with_payment(invoice: Invoice, payment: Payment) -> Invoice:
    """The invoice after ``payment``: paid when nothing is left, else partially paid."""
    paid = invoice.paid + payment.amount
    status: Status = "paid" if paid == invoice.totals.total else "partially_paid"
    check_transition(invoice.status, status)
    return replace(invoice, paid=paid, status=status, version=invoice.version + 1)
