"""An invoice as the PDF prints it: the stored invoice, the letterhead and the Verifactu QR."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_billing.application.invoice_queries import InvoiceView, invoice
from clinic_billing.infrastructure import clinic_settings
from clinic_billing.infrastructure import invoices as repo
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
from clinic_shared.errors import ConflictError


@dataclass(frozen=True)
class PrintedInvoice:
    """The PDF and the name it is saved under."""

    filename: str
    content: bytes


def _filename(view: InvoiceView) -> str:
    record = view.record
    if record.number is None:
        return f"invoice-draft-{str(record.id)[:8]}.pdf"
    return f"invoice-{record.number}.pdf"


def _rectified(view: InvoiceView) -> Rectified | None:
    info = view.record.rectification
    if info is None or view.rectifies is None:
        return None
    original = view.rectifies
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
    """The invoice's PDF in its language; 404 if unknown, 409 before the letterhead is filled."""
    with reading(session):
        view = invoice(session, invoice_id)
        settings = clinic_settings.get(session)
        frozen = repo.issuer_at_issue(session, invoice_id)
    if settings is None or not settings.legal_name or not settings.tax_id:
        raise ConflictError("Fill in the clinic's billing settings before printing invoices.")
    record = view.record
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
    party = record.customer
    document = PrintableInvoice.for_invoice(
        record.domain(),
        issuer=letterhead,
        customer=Customer(party.name, party.tax_id, party.address, party.email),
        language="en" if record.language == "en" else "es",
        payments=tuple(PrintedPayment(p.paid_on, p.method, p.amount) for p in view.payments),
        rectifies=_rectified(view),
        qr_url=view.verifactu.qr_url if view.verifactu and record.number else None,
        verifactu=settings.verifactu_enabled,
        notes=record.notes,
    )
    key = (record.id, record.version, settings.version)
    return PrintedInvoice(
        _filename(view), pdfs.get_or_render(key, lambda: render_invoice_pdf(document))
    )
