"""Rectifying invoices: the only way to correct or cancel an issued one (RD 1619/2012 art. 15).

The rectifying invoice is drafted and issued at once in series R, in one transaction, exactly
as ``issuing`` issues a draft; the original is only read (it never changes) and now lists it
in ``rectifiedBy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_billing.application.invoice_queries import InvoiceView, view_of
from clinic_billing.application.issuing import (
    event_fields,
    issue_locked,
    issuer_for_invoices,
    prepared,
)
from clinic_billing.domain.money import ZERO
from clinic_billing.domain.rectification import Method, ReasonCode, rectify
from clinic_billing.domain.totals import InvoiceLine
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import parties
from clinic_billing.infrastructure.invoices import InvoiceRecord, RectificationInfo, StoredLine
from clinic_shared.contracts.billing import InvoiceRectified
from clinic_shared.errors import NotFoundError
from clinic_shared.events import OutboxWriter
from clinic_shared.write_batch import WriteBatch


@dataclass(frozen=True)
class RectifyRequest:
    """How and why to correct an invoice; no ``lines`` with differences cancels it in full."""

    method: Method
    reason_code: ReasonCode
    reason: str
    lines: Sequence[InvoiceLine] = ()


def _draft(original: InvoiceRecord, request: RectifyRequest) -> InvoiceRecord:
    """The series-R draft the domain makes of ``original``, with the original's recipient."""
    rectification = rectify(
        original.domain(),
        method=request.method,
        reason_code=request.reason_code,
        reason=request.reason,
        corrected_lines=request.lines,
    )
    draft = rectification.invoice
    totals = draft.totals
    return InvoiceRecord(
        id=draft.id,
        series="R",
        status="draft",
        number=None,
        issued_on=None,
        customer_id=original.customer_id,
        patient_id=original.patient_id,
        customer=original.customer,
        language=original.language,
        notes=None,
        base=totals.base,
        tax=totals.tax,
        total=totals.total,
        paid=ZERO,
        version=draft.version,
        lines=tuple(StoredLine(item.line, item.amount) for item in totals.lines),
        rectification=RectificationInfo(
            rectifies_id=original.id,
            method=rectification.method,
            reason_code=rectification.reason_code,
            reason=rectification.reason,
            rectified_base=rectification.rectifies.base,
            rectified_tax=rectification.rectifies.tax,
        ),
    )


def rectify_invoice(
    session: Session,
    events: OutboxWriter,
    invoice_id: UUID,
    request: RectifyRequest,
    *,
    now: datetime,
    zone: ZoneInfo,
    created_by: str | None,
) -> InvoiceView:
    """Issue a rectifying invoice for ``invoice_id``; publishes invoice.rectified."""

    def attempt() -> InvoiceView:
        with session.begin():
            # Not locked: an issued invoice's lines and amounts never change.
            original = repo.get(session, invoice_id)
            if original is None:
                raise NotFoundError(f"invoice {invoice_id} was not found")
            draft = _draft(original, request)
            issuer = issuer_for_invoices(parties.issuer(session))
            repo.add_draft(session, draft, created_by)
            with WriteBatch(session) as writes:
                record = issue_locked(session, writes, draft, issuer, now=now, zone=zone)
                assert record.rectification is not None
                assert original.number is not None
                payload = {
                    **event_fields(record),
                    "rectifies_id": original.id,
                    "rectifies_number": str(original.number),
                    "method": record.rectification.method,
                    "reason_code": record.rectification.reason_code,
                }
                events.add(writes, InvoiceRectified.model_validate(payload))
            return view_of(session, record)

    return prepared(session, now, attempt)
