"""The invoice PDF (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from clinic_billing.application.printing import print_invoice
from clinic_billing.entrypoints.deps import BillingUser, DbSession, ServicesDep

router = APIRouter(tags=["invoices"])

PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The invoice PDF."}
}


@router.get(
    "/api/invoices/{invoice_id}/export/pdf", response_class=Response, responses=PDF_RESPONSE
)
def export_invoice_pdf(
    invoice_id: UUID, _user: BillingUser, db: DbSession, services: ServicesDep
) -> Response:
    """The invoice as an A4 PDF in its language, with the Verifactu QR once issued."""
    printed = print_invoice(db, invoice_id, services.pdfs)
    return Response(
        printed.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{printed.filename}"'},
    )
