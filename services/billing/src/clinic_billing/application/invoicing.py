"""Drafts: create, edit and discard them, from hand lines and from billable sessions.

A draft has no number, so it may change freely (If-Match guards concurrent edits) and be
discarded without leaving a gap. The sessions it charges are reserved by it until it is issued
(then they are invoiced for good) or discarded (then they are free again).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_billing.application.customers import ensure_patient_customer
from clinic_billing.application.invoice_queries import InvoiceView, view_of
from clinic_billing.domain.invoices import check_deletable, check_editable, new_draft
from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import Series
from clinic_billing.domain.totals import EXEMPTIONS, MAX_DESCRIPTION, InvoiceLine
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import parties
from clinic_billing.infrastructure import session_claims as claims
from clinic_billing.infrastructure.invoices import InvoiceRecord, StoredLine
from clinic_billing.infrastructure.parties import NOBODY, Party
from clinic_billing.infrastructure.session_claims import BillableSession
from clinic_shared.errors import ExpectedVersion, FieldError, NotFoundError

DEFAULT_LANGUAGE = "es"
ONE = ZERO + 1
SESSION_IDS = "sessionIds"


@dataclass(frozen=True)
class DraftRequest:
    """What the front desk asks for: hand ``lines`` (already checked) follow the sessions'."""

    series: Series
    customer_id: UUID | None = None
    patient_id: UUID | None = None
    lines: tuple[InvoiceLine, ...] = ()
    session_ids: tuple[UUID, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Payer:
    """Who the invoice is for, resolved inside the transaction."""

    customer_id: UUID | None
    patient_id: UUID | None
    party: Party
    language: str | None


def locked_invoice(session: Session, invoice_id: UUID) -> InvoiceRecord:
    """The invoice with its row locked for this transaction; 404 if unknown."""
    found = repo.get(session, invoice_id, lock=True)
    if found is None:
        raise NotFoundError(f"invoice {invoice_id} was not found")
    return found


def payer(session: Session, customer_id: UUID | None, patient_id: UUID | None) -> Payer:
    """The customer (the patient's own when only ``patient_id`` is given); 422 if unknown."""
    if customer_id is None and patient_id is not None:
        customer_id = UUID(ensure_patient_customer(session, patient_id))
    if customer_id is None:
        return Payer(None, None, NOBODY, None)
    customer = parties.customer(session, customer_id)
    if customer is None:
        raise FieldError("customerId", "unknown customer")
    if not customer.active:
        raise FieldError("customerId", "the customer is deactivated")
    return Payer(customer.id, patient_id or customer.patient_id, customer.party, customer.language)


def claim_sessions(
    session: Session,
    session_ids: Sequence[UUID],
    own: UUID | None,
    holding: Sequence[UUID] = (),
) -> list[BillableSession]:
    """Lock the sessions and check each is free to go on the draft ``own``; 422 ``sessionIds``.

    ``holding`` (the draft's current sessions) is locked in the same pass: one sorted order
    for every row, so two transactions never wait on each other's sessions in a cycle.
    """
    if len(set(session_ids)) != len(session_ids):
        raise FieldError(SESSION_IDS, "lists a session more than once")
    wanted = set(session_ids)
    found = [s for s in claims.lock(session, [*session_ids, *holding]) if s.id in wanted]
    unknown = set(session_ids) - {s.id for s in found}
    if unknown:
        raise FieldError(SESSION_IDS, f"unknown session {sorted(map(str, unknown))[0]}")
    for billable in found:
        if billable.status == "reversed":
            raise FieldError(SESSION_IDS, f"session {billable.id} is no longer completed")
        if billable.invoice_id is not None and billable.invoice_id != own:
            raise FieldError(SESSION_IDS, f"session {billable.id} is already on another invoice")
    return found


def _session_line(billable: BillableSession, zone: ZoneInfo) -> InvoiceLine:
    day = billable.starts_at.astimezone(zone).strftime("%d/%m/%Y")
    description = f"{billable.description} {day}"[:MAX_DESCRIPTION]
    return InvoiceLine(
        description=description,
        quantity=ONE,
        unit_price=billable.price,
        vat_rate=billable.vat_rate,
        exemption=EXEMPTIONS.get(billable.exemption) if billable.exemption else None,
    )


def compose(
    session: Session,
    invoice_id: UUID,
    request: DraftRequest,
    sessions: Sequence[BillableSession],
    *,
    zone: ZoneInfo,
    version: int,
) -> InvoiceRecord:
    """The draft record: the payer's copy, one line per session (oldest first), hand lines."""
    who = payer(session, request.customer_id, request.patient_id)
    patient_id = who.patient_id
    if patient_id is not None:
        for billable in sessions:
            if billable.patient_id != patient_id:
                raise FieldError(SESSION_IDS, f"session {billable.id} is of another patient")
    elif len({billable.patient_id for billable in sessions}) == 1:
        patient_id = sessions[0].patient_id
    ordered = sorted(sessions, key=lambda s: (s.starts_at, str(s.id)))
    owners = [s.id for s in ordered] + [None] * len(request.lines)
    lines = [_session_line(s, zone) for s in ordered] + list(request.lines)
    draft = new_draft(request.series, lines, who.party.tax_id)
    totals = draft.totals
    issuer = parties.issuer(session)
    return InvoiceRecord(
        id=invoice_id,
        series=request.series,
        status="draft",
        number=None,
        issued_on=None,
        customer_id=who.customer_id,
        patient_id=patient_id,
        customer=who.party,
        language=who.language or (issuer.default_language if issuer else DEFAULT_LANGUAGE),
        notes=request.notes,
        base=totals.base,
        tax=totals.tax,
        total=totals.total,
        paid=ZERO,
        version=version,
        lines=tuple(
            StoredLine(item.line, item.amount, owner)
            for item, owner in zip(totals.lines, owners, strict=True)
        ),
    )


def create_draft(
    session: Session, request: DraftRequest, *, zone: ZoneInfo, created_by: str | None
) -> InvoiceView:
    """A new draft; its sessions are reserved by it."""
    with session.begin():
        invoice_id = uuid.uuid4()
        sessions = claim_sessions(session, request.session_ids, own=None)
        record = compose(session, invoice_id, request, sessions, zone=zone, version=1)
        repo.add_draft(session, record, created_by)
        claims.reserve(session, record.session_ids, invoice_id)
        return view_of(session, record)


def update_draft(
    session: Session,
    invoice_id: UUID,
    request: DraftRequest,
    expected: ExpectedVersion,
    *,
    zone: ZoneInfo,
) -> InvoiceView:
    """Replace a draft's content (If-Match); sessions left out are released. 409 once issued."""
    with session.begin():
        current = locked_invoice(session, invoice_id)
        check_editable(current.domain())
        expected.check(current.version, "this invoice")
        sessions = claim_sessions(
            session, request.session_ids, own=invoice_id, holding=current.session_ids
        )
        record = compose(
            session, invoice_id, request, sessions, zone=zone, version=current.version + 1
        )
        dropped = set(current.session_ids) - set(record.session_ids)
        claims.release(session, dropped, invoice_id)
        repo.replace_draft(session, record)
        claims.reserve(session, record.session_ids, invoice_id)
        return view_of(session, record)


def discard_draft(session: Session, invoice_id: UUID, expected: ExpectedVersion) -> None:
    """Delete a draft (If-Match checked when sent) and free its sessions; 409 once issued."""
    with session.begin():
        current = locked_invoice(session, invoice_id)
        check_deletable(current.domain())
        if expected.if_match:
            expected.check(current.version, "this invoice")
        claims.release(session, current.session_ids, invoice_id)
        repo.delete_draft(session, invoice_id)


def month_range(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """``2026-03`` → the first instant of that month and of the next, in the clinic's zone."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise FieldError("month", "expected a month as YYYY-MM") from None
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (
        datetime(first.year, first.month, 1, tzinfo=zone),
        datetime(after.year, after.month, 1, tzinfo=zone),
    )


def batch_draft(
    session: Session, insurer_id: UUID, month: str, *, zone: ZoneInfo, created_by: str | None
) -> InvoiceView:
    """One draft to the insurer with every uninvoiced session of ``month`` it pays."""
    starts_from, starts_before = month_range(month, zone)
    with session.begin():
        insurer = parties.customer(session, insurer_id)
        if insurer is None or insurer.kind != "insurer":
            raise FieldError("insurerId", "is not an insurer customer")
        candidates = claims.uninvoiced_paid_by(session, insurer_id, starts_from, starts_before)
        # Locked now; one a concurrent draft took in between is simply left out.
        sessions = [s for s in claims.lock(session, candidates) if s.status == claims.UNINVOICED]
        if not sessions:
            raise FieldError("month", f"the insurer has no uninvoiced session in {month}")
        request = DraftRequest(series="F", customer_id=insurer_id)
        record = compose(session, uuid.uuid4(), request, sessions, zone=zone, version=1)
        repo.add_draft(session, record, created_by)
        claims.reserve(session, record.session_ids, record.id)
        return view_of(session, record)
