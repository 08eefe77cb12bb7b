"""Routes of billing's payments (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from clinic_billing.application import payments
from clinic_billing.entrypoints.deps import BillingUser, DbSession, ServicesDep
from clinic_billing.entrypoints.invoice_schemas import InvoicePublic, PaymentBody
from clinic_billing.entrypoints.invoices_api import one

router = APIRouter(tags=["payments"])


@router.post("/api/invoices/{invoice_id}/payments", status_code=201, response_model=InvoicePublic)
def record_payment(
    invoice_id: UUID,
    body: PaymentBody,
    user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> InvoicePublic:
    """Record money received (none on a draft, none above the balance); answers the invoice."""
    view = payments.record_payment(
        db,
        services.events,
        invoice_id,
        amount=body.amount,
        method=body.method,
        paid_on=body.paid_on,
        today=services.clock().astimezone(services.zone).date(),
        created_by=user.user_id,
    )
    return one(view, response)
