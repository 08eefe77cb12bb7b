"""Issuing: a draft takes its series' next number and today's date, in one transaction.

Everything an issued invoice is happens together or not at all: the counter row is locked
(so two issues of a series queue, and a rollback gives the number back: no gap), the issue date
is checked against the series' last one, the recipient is frozen, the Verifactu record is
chained to the issuer's head (locked after the counter: one lock order for every issuer),
the sessions are invoiced for good and ``invoice.issued`` goes to the outbox.

The pieces here serve one issue (a rectifying invoice) or several in one transaction
(``issuing_line``: the issues of a series that arrive together share one turn of the locks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_billing.domain.invoices import (
    check_issuable,
    check_recipient_address,
    check_transition,
    issued,
)
from clinic_billing.domain.money import format_amount
from clinic_billing.domain.numbering import SERIES, Series, check_issue_date, next_number
from clinic_billing.domain.verifactu import AltaRecord, chained, invoice_type
from clinic_billing.infrastructure import chain, counters, draft_to_issue
from clinic_billing.infrastructure import invoice_name_search as name_search
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure import session_claims as claims
from clinic_billing.infrastructure.chain import Head
from clinic_billing.infrastructure.counters import Counter
from clinic_billing.infrastructure.invoices import InvoiceRecord
from clinic_billing.infrastructure.parties import Issuer
from clinic_shared.errors import ConflictError, ExpectedVersion, NotFoundError
from clinic_shared.text import fold
from clinic_shared.write_batch import WriteBatch

# What an event names the recipient of an anonymous simplified invoice (the contract wants one).
NO_RECIPIENT = "Consumidor final"
RETRY = "the clinic settings changed while issuing; try again"
_T = TypeVar("_T")
_MICROSECOND = timedelta(microseconds=1)  # the finest a stored moment tells apart


class UnpreparedError(Exception):
    """The series' counter or the issuer's chain head does not exist yet."""

    def __init__(self, issuer_tax_id: str) -> None:
        super().__init__(issuer_tax_id)
        self.issuer_tax_id = issuer_tax_id


def prepare(session: Session, issuer_tax_id: str, now: datetime) -> None:
    """Make the counter rows and the issuer's chain head (a transaction of its own).

    Only the first issue ever (or the first after the clinic's tax id changed) writes here;
    see ``counters.create`` for why this cannot happen inside the issuing transaction.
    """
    with session.begin():
        for series in counters.missing(session, SERIES):
            counters.create(session, series, now.year)
        if not chain.has_head(session, issuer_tax_id):
            chain.create_head(session, issuer_tax_id)


def prepared(session: Session, now: datetime, attempt: Callable[[], _T]) -> _T:
    """Run ``attempt`` (an issuing transaction); when it finds no counter or chain head to
    lock, make them and run it once more.

    Every other issue finds them, so it spends no transaction looking for them first.
    """
    try:
        return attempt()
    except UnpreparedError as missing:
        prepare(session, missing.issuer_tax_id, now)
    try:
        return attempt()
    except UnpreparedError:
        raise ConflictError(RETRY) from None


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


@dataclass(frozen=True)
class Numbering:
    """What an issuing transaction holds locked: the series' counter and the issuer's chain end
    (its head and the record the head points at), as they stand after its issues so far."""

    counter: Counter
    head: Head
    previous: AltaRecord | None


def lock_numbering(session: Session, series: Series, issuer_tax_id: str) -> Numbering:
    """Lock ``series``' counter, then the issuer's chain head, until the transaction ends."""
    locked = counters.lock_with_chain_tail(session, series, issuer_tax_id)
    if locked is None:
        raise UnpreparedError(issuer_tax_id)
    counter, head, previous = locked
    if head.last_position and (previous is None or previous.hash != head.last_hash):
        raise ConflictError(
            f"the Verifactu chain of {issuer_tax_id} does not end where its head says; "
            "run verify-chain before issuing more invoices"
        )
    return Numbering(counter, head, previous)


def issue_next(
    writes: WriteBatch,
    draft: InvoiceRecord,
    issuer: Issuer,
    held: Numbering,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> tuple[InvoiceRecord, Numbering]:
    """Issue ``draft`` (its row locked and checked) with the number after ``held``'s; the
    numbering as it stands after it. ``record_numbering`` writes that state once at the end.

    Runs while the numbering is locked: only what needs the number or the chain's end is here,
    and nothing is read (the writes go out together in ``writes``).
    """
    # The chain's tax id is the one whose head is locked (the invoice keeps that same text).
    issuer = replace(issuer, tax_id=held.head.issuer_tax_id)
    now = _after_the_last_issue(now, held.counter.last_issued_at, zone)
    local = now.astimezone(zone).replace(microsecond=0)
    today = local.date()
    check_issue_date(draft.series, held.counter.last_issued_on, today)
    number = next_number(draft.series, today.year, held.counter.last)
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
    sealed = chained(alta, held.previous)
    position = held.head.last_position + 1
    claims.mark_invoiced(writes, draft.session_ids, draft.id)
    repo.mark_issued(writes, record, issuer)
    name_search.index_issued(writes, record.id, fold(record.customer.name))
    chain.append(writes, sealed, position, record.id)
    head = Head(held.head.issuer_tax_id, position, sealed.hash)
    return record, Numbering(Counter(draft.series, number, today, now), head, sealed)


def _after_the_last_issue(now: datetime, last: datetime | None, zone: ZoneInfo) -> datetime:
    """``now``, or a microsecond after the series' last issue when the clock was set back
    within the same day: a series' moments then follow its numbers, the list's order is the
    numbers' order (the search by a number's last digits relies on it). A clock set back to
    an earlier day is left as it is, and the issue date check refuses it (409)."""
    if last is None or now > last:
        return now
    if now.astimezone(zone).date() != last.astimezone(zone).date():
        return now
    return last + _MICROSECOND


def record_numbering(writes: WriteBatch, held: Numbering) -> None:
    """Write the counter and the chain head as ``issue_next`` left them (both locked)."""
    counters.advance(writes, held.counter)
    chain.move_head(writes, held.head)


def issue_locked(
    session: Session,
    writes: WriteBatch,
    draft: InvoiceRecord,
    issuer: Issuer,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> InvoiceRecord:
    """Issue ``draft`` (its row locked or just inserted) inside the caller's transaction: lock
    the numbering, take the next number, write it all in ``writes`` (one round trip on MariaDB,
    with the caller's event); nothing is read back after (the caller answers once committed).
    """
    held = lock_numbering(session, draft.series, issuer.tax_id)
    record, held = issue_next(writes, draft, issuer, held, now=now, zone=zone)
    record_numbering(writes, held)
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


def prepare_issue(
    session: Session, invoice_id: UUID, expected: ExpectedVersion
) -> tuple[InvoiceRecord, Issuer]:
    """The draft as it would be issued (its recipient frozen) and the issuer; every refusal
    that does not need the numbering (plain reads: the issuing turn locks and re-checks)."""
    with session.begin():
        found = draft_to_issue.read(session, invoice_id)
    if found is None:
        raise NotFoundError(f"invoice {invoice_id} was not found")
    draft = found.record
    check_transition(draft.status, "issued")
    expected.check(draft.version, "this invoice")
    issuer = issuer_for_invoices(found.issuer)
    if found.customer is not None:  # else deleted since the draft was saved: the draft's copy
        draft = replace(draft, customer=found.customer.party)
    check_issuable(draft.domain())
    check_recipient_address(draft.domain(), draft.customer.address)
    return draft, issuer
