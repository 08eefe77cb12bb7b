"""The read side of invoices: one invoice as the API shows it, lists, number gaps, the sales
book and the dashboard's figures. Reads only, each in one read transaction (or the caller's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_billing.domain.invoices import Payment
from clinic_billing.domain.numbering import Gap, InvoiceNumber
from clinic_billing.domain.totals import InvoiceTotals, VatBreakdown
from clinic_billing.domain.verifactu import AltaRecord, Environment, qr_url
from clinic_billing.infrastructure import chain, invoice_list, parties
from clinic_billing.infrastructure import invoice_queries as sql
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import payments as stored_payments
from clinic_billing.infrastructure.invoice_list import InvoiceFilters
from clinic_billing.infrastructure.invoice_queries import Reference
from clinic_billing.infrastructure.invoices import InvoiceRecord
from clinic_shared.db import reading
from clinic_shared.errors import NotFoundError

__all__ = ["InvoiceFilters", "InvoiceRecord", "InvoiceView", "Reference"]


@dataclass(frozen=True)
class VerifactuStamp:
    """What an issued invoice prints for Verifactu: its record's hash and the QR's URL."""

    hash: str
    qr_url: str


@dataclass(frozen=True)
class InvoiceView:
    """An invoice with what the API shows around it; ``totals`` is None in lists."""

    record: InvoiceRecord
    rectifies: Reference | None = None
    rectified_by: list[Reference] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    verifactu: VerifactuStamp | None = None
    totals: InvoiceTotals | None = None


def _views(
    session: Session, records: Sequence[InvoiceRecord], *, detailed: bool
) -> list[InvoiceView]:
    """Views of ``records`` in a fixed number of queries, whatever their count."""
    ids = [record.id for record in records]
    originals = [r.rectification.rectifies_id for r in records if r.rectification]
    refs = sql.references(session, originals)
    corrections = sql.rectifying(session, ids)
    records_by_invoice = chain.records_of(session, ids)
    paid = stored_payments.of_invoices(session, ids) if detailed else {}
    issuer = parties.issuer(session)
    environment = issuer.qr_environment if issuer else "production"
    views = []
    for record in records:
        alta = records_by_invoice.get(record.id)
        stamp = None
        if alta is not None:
            url = qr_url(alta.issuer_tax_id, alta.number, alta.issued_on, alta.total, environment)
            stamp = VerifactuStamp(alta.hash, url)
        rectifies = None
        if record.rectification:
            rectifies = refs.get(record.rectification.rectifies_id)
        views.append(
            InvoiceView(
                record=record,
                rectifies=rectifies,
                rectified_by=corrections.get(record.id, []),
                payments=paid.get(record.id, []),
                verifactu=stamp,
                totals=record.domain().totals if detailed else None,
            )
        )
    return views


def view_of(session: Session, record: InvoiceRecord) -> InvoiceView:
    """The full view of ``record`` (inside the caller's transaction, so it is what was written)."""
    return _views(session, [record], detailed=True)[0]


def issued_view(
    record: InvoiceRecord, alta: AltaRecord, qr_environment: Environment
) -> InvoiceView:
    """The view of an invoice its issue has just committed, from what the issue wrote.

    Nothing needs reading: a just-issued invoice has no payment and no rectifying invoice yet,
    and an ordinary one rectifies nothing. (A read-back was a fifth of issuing's CPU.)
    """
    assert record.rectification is None, "a rectifying invoice is answered by view_of"
    url = qr_url(alta.issuer_tax_id, alta.number, alta.issued_on, alta.total, qr_environment)
    return InvoiceView(
        record=record, verifactu=VerifactuStamp(alta.hash, url), totals=record.domain().totals
    )


def invoice(session: Session, invoice_id: UUID) -> InvoiceView:
    """One invoice with its lines, breakdown, payments and references; 404 if unknown."""
    with reading(session):
        found = repo.get(session, invoice_id)
        if found is None:
            raise NotFoundError(f"invoice {invoice_id} was not found")
        return view_of(session, found)


def invoices(
    session: Session, filters: InvoiceFilters, *, offset: int, limit: int
) -> list[InvoiceView]:
    """A page of invoices (no lines, payments or breakdown): drafts first, then newest."""
    with reading(session):
        return _views(session, invoice_list.search(session, filters, offset, limit), detailed=False)


@dataclass(frozen=True)
class NumberCheck:
    """Missing and repeated numbers of one year."""

    year: int
    gaps: list[Gap]
    duplicates: list[InvoiceNumber]


def number_check(session: Session, year: int) -> NumberCheck:
    """Every series' gaps and duplicates in ``year`` (with gapless issuing: none)."""
    with reading(session):
        gaps, repeated = sql.number_check(session, year)
    return NumberCheck(year, gaps, repeated)


@dataclass(frozen=True)
class SalesBookRow:
    """One invoice and VAT rate of the sales book (libro registro de facturas expedidas)."""

    number: str
    issued_on: date
    customer: str
    tax_id: str | None
    rate: VatBreakdown

    @property
    def total(self) -> Decimal:
        """This rate's share of the invoice: base plus VAT."""
        return self.rate.base + self.rate.tax


def sales_book(session: Session, first: date, last: date) -> list[SalesBookRow]:
    """Invoices issued from ``first`` to ``last``, one row per invoice and VAT rate."""
    with reading(session):
        issued = sql.issued_between(session, first, last)
    rows = []
    for record in issued:
        assert record.number is not None
        assert record.issued_on is not None
        for rate in record.domain().totals.breakdown:
            rows.append(
                SalesBookRow(
                    str(record.number),
                    record.issued_on,
                    record.customer.name,
                    record.customer.tax_id,
                    rate,
                )
            )
    return rows


@dataclass(frozen=True)
class Stats:
    """The gateway dashboard's billing figures."""

    total_invoices: int
    issued_this_month: int
    outstanding_amount: Decimal


def stats(session: Session, now: datetime, zone: ZoneInfo) -> Stats:
    """Issued invoices, those of this month (the clinic's), and what customers owe in all.

    What is owed nets every issued invoice's balance: a cancelling rectification (negative)
    offsets its original, and one by substitution counts only what it changes, since the
    original it replaces is still counted on its own.
    """
    today = now.astimezone(zone).date()
    month_start = today.replace(day=1)
    month_end = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
    with reading(session):
        figures = sql.figures(session, month_start, month_end)
    return Stats(figures.issued, figures.issued_in_range, figures.owed - figures.replaced)


@dataclass(frozen=True)
class PatientBalance:
    """What a patient's invoices still owe, whoever the payer (the patient, an insurer…)."""

    patient_id: UUID
    issued_invoices: int
    outstanding: Decimal


def patient_balance(session: Session, patient_id: UUID) -> PatientBalance:
    """The balance of every invoice issued for ``patient_id``'s sessions, netted like the
    dashboard's (a cancelling rectification offsets its original)."""
    with reading(session):
        figures = sql.figures(session, date.min, date.min, str(patient_id))
    return PatientBalance(patient_id, figures.issued, figures.owed - figures.replaced)
