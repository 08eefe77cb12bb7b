"""An invoice as the PDF prints it: the stored invoice, the letterhead and the Verifactu QR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_billing.domain.verifactu import Environment, qr_url
from clinic_billing.infrastructure import chain, clinic_settings
from clinic_billing.infrastructure import invoice_queries as sql
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import payments as stored_payments
from clinic_billing.infrastructure.invoice_queries import Reference
from clinic_billing.infrastructure.invoices import InvoiceRecord
from clinic_billing.infrastructure.pdf import (
    Customer,
    Letterhead,
    PrintableInvoice,
    PrintedPayment,
    Rectified,
    render_invoice_pdf,
)
from clinic_billing.infrastructure.pdf_cache import PdfCache
from clinic_shared.db import reading
from clinic_shared.errors import ConflictError, NotFoundError


@dataclass(frozen=True)
class PrintedInvoice:
    """The PDF and the name it is saved under."""

    filename: str
    content: bytes


def _filename(record: InvoiceRecord) -> str:
    if record.number is None:
        return f"invoice-draft-{str(record.id)[:8]}.pdf"
    return f"invoice-{record.number}.pdf"


def _rectified(record: InvoiceRecord, original: Reference | None) -> Rectified | None:
    info = record.rectification
    if info is None or original is None:
        return None
    # Only an issued invoice is rectified, so the original has its number and date.
    assert original.number is not None
    assert original.issued_on is not None
    return Rectified(
        number=original.number,
        issued_on=original.issued_on,
        method=info.method,
        reason_code=info.reason_code,
        reason=info.reason,
        base=info.rectified_base,
        tax=info.rectified_tax,
    )


def print_invoice(session: Session, invoice_id: UUID, pdfs: PdfCache) -> PrintedInvoice:
    """The invoice's PDF in its language; 404 if unknown, 409 before the letterhead is filled.

    Reads what the page prints and nothing else (not the API's whole view of the invoice): a
    reprint is these reads, so each one is a sizeable part of it.
    """
    with reading(session):
        found = repo.get_as_issued(session, invoice_id)
        if found is None:
            raise NotFoundError(f"invoice {invoice_id} was not found")
        record, frozen = found
        settings = clinic_settings.get(session)
        alta = chain.records_of(session, [invoice_id]).get(invoice_id)
        paid = stored_payments.of_invoices(session, [invoice_id])[invoice_id]
        info = record.rectification
        original = (
            sql.references(session, [info.rectifies_id]).get(info.rectifies_id) if info else None
        )
    if settings is None or not settings.legal_name or not settings.tax_id:
        raise ConflictError("Fill in the clinic's billing settings before printing invoices.")
    # An issued invoice prints the clinic as it issued it; the contact lines, logo and footer
    # are presentation and follow the current settings.
    letterhead = Letterhead(
        legal_name=frozen.legal_name if frozen else settings.legal_name,
        tax_id=frozen.tax_id if frozen else settings.tax_id,
        address=frozen.address if frozen else settings.address,
        email=settings.email,
        phone=settings.phone,
        logo=settings.logo,
        footer=settings.invoice_footer,
    )
    environment = cast(Environment, settings.qr_environment)
    qr = None
    if alta is not None and record.number:
        qr = qr_url(alta.issuer_tax_id, alta.number, alta.issued_on, alta.total, environment)
    party = record.customer
    document = PrintableInvoice.for_invoice(
        record.domain(),
        issuer=letterhead,
        customer=Customer(party.name, party.tax_id, party.address, party.email),
        language="en" if record.language == "en" else "es",
        payments=tuple(PrintedPayment(p.paid_on, p.method, p.amount) for p in paid),
        rectifies=_rectified(record, original),
        qr_url=qr,
        verifactu=settings.verifactu_enabled,
        notes=record.notes,
    )
    key = (record.id, record.version, settings.version)
    return PrintedInvoice(
        _filename(record), pdfs.get_or_render(key, lambda: render_invoice_pdf(document))
    )
