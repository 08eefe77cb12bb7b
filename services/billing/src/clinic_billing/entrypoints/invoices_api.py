"""Routes of billing's invoices (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from clinic_billing.application import invoice_queries, invoicing, issuing_line, rectifying
from clinic_billing.application.invoice_queries import InvoiceFilters, InvoiceView
from clinic_billing.domain.invoices import Status
from clinic_billing.entrypoints.deps import (
    BillingUser,
    DbSession,
    IfMatch,
    ReadDbSession,
    ServicesDep,
)
from clinic_billing.entrypoints.invoice_schemas import (
    BatchBody,
    InvoiceBody,
    InvoicePublic,
    InvoiceSummary,
    RectifyBody,
    domain_lines,
)
from clinic_shared.errors import FieldError
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["invoices"])


def one(view: InvoiceView, response: Response, *, created: bool = False) -> InvoicePublic:
    """The invoice with its ETag (and its Location when it was just created)."""
    set_etag(response, view.record.version)
    if created:
        response.headers["Location"] = f"/api/invoices/{view.record.id}"
    return InvoicePublic.of(view)


def _draft_request(body: InvoiceBody) -> invoicing.DraftRequest:
    return invoicing.DraftRequest(
        series=body.series,
        customer_id=body.customer_id,
        patient_id=body.patient_id,
        lines=domain_lines(body.lines),
        session_ids=tuple(body.session_ids),
        notes=body.notes,
    )


@router.get("/api/invoices", response_model=Collection[InvoiceSummary])
def list_invoices(
    _user: BillingUser,
    db: ReadDbSession,
    page: Page,
    request: Request,
    q: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[list[Status] | None, Query()] = None,
    series: Annotated[Literal["F", "S", "R"] | None, Query()] = None,
    customer_id: Annotated[UUID | None, Query(alias="customerId")] = None,
    patient_id: Annotated[UUID | None, Query(alias="patientId")] = None,
    issued_from: Annotated[date | None, Query(alias="from")] = None,
    issued_to: Annotated[date | None, Query(alias="to")] = None,
    outstanding: bool = False,
) -> Collection[InvoiceSummary]:
    """Invoices by number or customer name (`q`) and filters; drafts first, then newest."""
    if issued_from and issued_to and issued_to < issued_from:
        raise FieldError("to", "must not be before from")
    filters = InvoiceFilters(
        q=q,
        statuses=status or (),
        series=series,
        customer_id=customer_id,
        patient_id=patient_id,
        issued_from=issued_from,
        issued_to=issued_to,
        outstanding=outstanding,
    )
    found = invoice_queries.invoices(db, filters, offset=page.offset, limit=page.fetch_limit)
    return page.collection([InvoiceSummary.of(view) for view in found], request)


@router.post("/api/invoices", status_code=201, response_model=InvoicePublic)
def create_invoice(
    body: InvoiceBody, user: BillingUser, db: DbSession, services: ServicesDep, response: Response
) -> InvoicePublic:
    """A draft (no number yet) from hand lines and/or billable sessions."""
    view = invoicing.create_draft(
        db, _draft_request(body), zone=services.zone, created_by=user.user_id
    )
    return one(view, response, created=True)


@router.post("/api/invoices/batch", status_code=201, response_model=InvoicePublic)
def create_insurer_batch(
    body: BatchBody, user: BillingUser, db: DbSession, services: ServicesDep, response: Response
) -> InvoicePublic:
    """One draft to an insurer with every uninvoiced session of the month it pays."""
    view = invoicing.batch_draft(
        db, body.insurer_id, body.month, zone=services.zone, created_by=user.user_id
    )
    return one(view, response, created=True)


@router.get("/api/invoices/{invoice_id}", response_model=InvoicePublic)
def get_invoice(
    invoice_id: UUID, _user: BillingUser, db: DbSession, response: Response
) -> InvoicePublic:
    """One invoice with lines, VAT breakdown, payments and Verifactu stamp (and its ETag)."""
    return one(invoice_queries.invoice(db, invoice_id), response)


@router.put("/api/invoices/{invoice_id}", response_model=InvoicePublic)
def update_invoice(
    invoice_id: UUID,
    body: InvoiceBody,
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> InvoicePublic:
    """Replace a draft's content (If-Match); an issued invoice is 409."""
    expected.require()
    view = invoicing.update_draft(
        db, invoice_id, _draft_request(body), expected, zone=services.zone
    )
    return one(view, response)


@router.delete("/api/invoices/{invoice_id}", status_code=204)
def discard_invoice(
    invoice_id: UUID, _user: BillingUser, db: DbSession, expected: IfMatch
) -> Response:
    """Discard a draft and free its sessions; an issued invoice is 409, always."""
    invoicing.discard_draft(db, invoice_id, expected)
    return Response(status_code=204)


@router.post("/api/invoices/{invoice_id}/issue", response_model=InvoicePublic)
def issue_invoice(
    invoice_id: UUID,
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> InvoicePublic:
    """Issue a draft (If-Match): the series' next number, today's date, the Verifactu record."""
    expected.require()
    view = issuing_line.issue(db, services.issuing, invoice_id, expected, now=services.clock())
    return one(view, response)


@router.post("/api/invoices/{invoice_id}/rectify", status_code=201, response_model=InvoicePublic)
def rectify_invoice(
    invoice_id: UUID,
    body: RectifyBody,
    user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> InvoicePublic:
    """Issue a rectifying invoice (series R) correcting or cancelling an issued one."""
    request = rectifying.RectifyRequest(
        method=body.method,
        reason_code=body.reason_code,
        reason=body.reason,
        lines=domain_lines(body.lines),
    )
    view = rectifying.rectify_invoice(
        db,
        services.events,
        invoice_id,
        request,
        now=services.clock(),
        zone=services.zone,
        created_by=user.user_id,
    )
    return one(view, response, created=True)
