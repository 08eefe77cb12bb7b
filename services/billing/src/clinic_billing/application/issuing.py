"""Issuing: a draft takes its series' next number and today's date, in one transaction.

Everything an issued invoice is happens together or not at all: the counter row is locked
(so two issues of a series queue, and a rollback gives the number back: no gap), the issue date
is checked against the series' last one, the recipient is frozen, the Verifactu record is
chained to the issuer's head (locked after the counter: one lock order for every issuer),
the sessions are invoiced for good and ``invoice.issued`` goes to the outbox.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_billing.application import invoice_queries
from clinic_billing.application.invoice_queries import InvoiceView
from clinic_billing.application.invoicing import locked_invoice
from clinic_billing.domain.invoices import (
    check_issuable,
    check_recipient_address,
    check_transition,
    issued,
)
from clinic_billing.domain.money import format_amount
from clinic_billing.domain.numbering import SERIES, check_issue_date, next_number
from clinic_billing.domain.verifactu import AltaRecord, chained, invoice_type
from clinic_billing.infrastructure import chain, counters, parties
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import session_claims as claims
from clinic_billing.infrastructure.invoices import InvoiceRecord
from clinic_billing.infrastructure.parties import Issuer
from clinic_shared.contracts.billing import InvoiceIssued
from clinic_shared.errors import ConflictError, ExpectedVersion
from clinic_shared.events import OutboxWriter

# What an event names the recipient of an anonymous simplified invoice (the contract wants one).
NO_RECIPIENT = "Consumidor final"
RETRY = "the clinic settings changed while issuing; try again"


def prepare(session: Session, now: datetime) -> Issuer | None:
    """Make sure the counter rows and the issuer's chain head exist (a transaction of its own).

    Only the first issue ever (or the first after the clinic's tax id changed) writes here;
    see ``counters.create`` for why this cannot happen inside the issuing transaction. Returns
    the clinic's letterhead as read here: the one read of the settings an issue makes.
    """
    with session.begin():
        for series in counters.missing(session, SERIES):
            counters.create(session, series, now.year)
        issuer = parties.issuer(session)
        if issuer and issuer.tax_id and not chain.has_head(session, issuer.tax_id):
            chain.create_head(session, issuer.tax_id)
    return issuer


SETTINGS_INCOMPLETE = "settings_incomplete"


def issuer_for_invoices(issuer: Issuer | None) -> Issuer:
    """The clinic's letterhead; 409 until it has a legal name and a tax id."""
    if issuer is None or not issuer.legal_name.strip() or not issuer.tax_id.strip():
        raise ConflictError(
            "the clinic settings need a legal name and a tax id before invoices are issued",
            # The SPA picks its message (and the link to the settings) by this code.
            extra={"code": SETTINGS_INCOMPLETE},
        )
    return issuer


def _frozen_recipient(session: Session, draft: InvoiceRecord) -> InvoiceRecord:
    """The draft with its customer as they are now (the copy the issued invoice keeps)."""
    if draft.customer_id is None:
        return draft
    customer = parties.customer(session, draft.customer_id)
    if customer is None:  # deleted since the draft was saved: keep the draft's copy
        return draft
    return replace(draft, customer=customer.party)


def issue_locked(
    session: Session, draft: InvoiceRecord, issuer: Issuer, *, now: datetime, zone: ZoneInfo
) -> InvoiceRecord:
    """Issue ``draft`` (its row locked or just inserted) inside the caller's transaction.

    Every issue of every series queues on the counter and the chain head, so only what needs
    them runs while they are held: the sessions are marked before (their rows are the draft's
    alone), and nothing is read back after (the caller builds its answer once committed).
    """
    claims.mark_invoiced(session, draft.session_ids, draft.id)
    counter = counters.lock(session, draft.series)
    tail = chain.lock_tail(session, issuer.tax_id)
    if counter is None or tail is None:
        raise ConflictError(RETRY)
    head, previous = tail
    # The chain's tax id is the one whose head is locked (the invoice keeps that same text).
    issuer = replace(issuer, tax_id=head.issuer_tax_id)
    local = now.astimezone(zone).replace(microsecond=0)
    today = local.date()
    check_issue_date(draft.series, counter.last_issued_on, today)
    if head.last_position and (previous is None or previous.hash != head.last_hash):
        raise ConflictError(
            f"the Verifactu chain of {issuer.tax_id} does not end where its head says; "
            "run verify-chain before issuing more invoices"
        )
    number = next_number(draft.series, today.year, counter.last)
    invoice = issued(draft.domain(), number, today)
    record = replace(
        draft,
        status=invoice.status,
        number=number,
        issued_on=today,
        issued_at=now,
        version=invoice.version,
    )
    reason = record.rectification.reason_code if record.rectification else None
    alta = AltaRecord(
        issuer_tax_id=issuer.tax_id,
        number=str(number),
        issued_on=today,
        invoice_type=invoice_type(record.series, reason),
        tax_total=record.tax,
        total=record.total,
        generated_at=local,
    )
    repo.mark_issued(session, record, issuer)
    counters.advance(session, number, today)
    chain.append(session, chained(alta, previous), head.last_position + 1, record.id)
    return record


def event_fields(record: InvoiceRecord) -> dict[str, object]:
    """What ``invoice.issued`` and ``invoice.rectified`` share."""
    assert record.number is not None
    assert record.issued_on is not None
    return {
        "invoice_id": record.id,
        "series": record.series,
        "number": str(record.number),
        "issued_on": record.issued_on,
        "customer_id": record.customer_id,
        "customer_name": record.customer.name or NO_RECIPIENT,
        "patient_id": record.patient_id,
        "base": format_amount(record.base),
        "tax": format_amount(record.tax),
        "total": format_amount(record.total),
        "status": record.status,
        "session_ids": record.session_ids,
        "entity_version": record.version,
    }


def issue(
    session: Session,
    events: OutboxWriter,
    invoice_id: UUID,
    expected: ExpectedVersion,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> InvoiceView:
    """Issue a draft (If-Match): number, date, Verifactu record; publishes invoice.issued."""
    letterhead = prepare(session, now)
    with session.begin():
        draft = locked_invoice(session, invoice_id)
        check_transition(draft.status, "issued")
        expected.check(draft.version, "this invoice")
        issuer = issuer_for_invoices(letterhead)
        draft = _frozen_recipient(session, draft)
        # The series' rules before the counter is locked: a refusal holds no other issue up.
        check_issuable(draft.domain())
        check_recipient_address(draft.domain(), draft.customer.address)
        record = issue_locked(session, draft, issuer, now=now, zone=zone)
        events.add(session, InvoiceIssued.model_validate(event_fields(record)))
    # Committed, the locks are free: the answer is a read of what was written.
    return invoice_queries.invoice(session, record.id)
