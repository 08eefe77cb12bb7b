"""Verifying the Verifactu chain: every record recomputed, every link followed, every invoice
compared with the record it was registered as. ``clinic-billing verify-chain`` and
``GET /api/invoices/chain/verify`` both answer with this report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

from sqlalchemy.orm import Session

from clinic_billing.domain.money import format_amount
from clinic_billing.domain.rectification import ReasonCode
from clinic_billing.domain.verifactu import invoice_type, verify_chain
from clinic_billing.infrastructure import chain
from clinic_billing.infrastructure.chain import ChainEntry, Head, StoredRecord
from clinic_shared.db import reading
from clinic_shared.errors import FieldError

Reason = Literal["hash", "link"]


@dataclass(frozen=True)
class BreakReport:
    """The first record that does not hold: its position in its issuer's chain, and why."""

    position: int
    number: str | None
    reason: Reason
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification of every issuer's chain."""

    records: int
    issuers: int
    first_break: BreakReport | None

    @property
    def ok(self) -> bool:
        """True when every record holds."""
        return self.first_break is None

    @property
    def message(self) -> str:
        """One sentence for the CLI and the logs."""
        if self.first_break is not None:
            return self.first_break.message
        return f"Verifactu chain intact: {self.records} records of {self.issuers} issuer(s)"


Stored = Sequence[StoredRecord]


def _chain_break(stored: Stored) -> BreakReport | None:
    found = verify_chain([entry.record for entry in stored])
    if found is None:
        return None
    position = stored[found.index].position
    # The domain counts from 0; people and the API count chain positions from 1.
    message = replace(found, index=position).message
    return BreakReport(position, found.number, found.reason, message)


def _changed_fields(entry: ChainEntry) -> list[str]:
    """What the invoice row says differently from its record (it was edited after issue)."""
    invoice, record = entry.invoice, entry.record
    if invoice is None:
        return ["the invoice itself (deleted)"]
    try:
        kind: str = invoice_type(invoice.series, cast(ReasonCode | None, invoice.reason_code))
    except FieldError:  # a series-R row whose reason code was erased
        kind = ""
    expected = {
        "number": (invoice.number, record.number),
        "issue date": (invoice.issued_on, record.issued_on),
        "type": (kind, record.invoice_type),
        "tax": (format_amount(invoice.tax), format_amount(record.tax_total)),
        "total": (format_amount(invoice.total), format_amount(record.total)),
    }
    return [name for name, (stored, hashed) in expected.items() if stored != hashed]


def _invoice_break(session: Session, issuer_tax_id: str, stored: Stored) -> BreakReport | None:
    """The first record whose invoice row was edited or removed since it was registered.

    Only the records the database did not find identical to their invoice are compared here,
    field by field (every other one is, byte for byte: see ``chain.records``).
    """
    suspects = [entry for entry in stored if not entry.invoice_as_hashed]
    facts = chain.invoice_facts(session, issuer_tax_id, [entry.position for entry in suspects])
    for suspect in suspects:
        entry = ChainEntry(suspect.position, suspect.record, facts.get(suspect.position))
        changed = _changed_fields(entry)
        if changed:
            return BreakReport(
                entry.position,
                entry.record.number,
                "hash",
                f"record {entry.position} ({entry.record.number}) no longer matches its "
                f"invoice: {', '.join(changed)} altered after it was issued",
            )
    return None


def _head_break(head: Head, stored: Stored) -> BreakReport | None:
    """The head must point at the last record (a deleted last record leaves no other trace)."""
    last = stored[-1] if stored else None
    if last and last.position == head.last_position and last.record.hash == head.last_hash:
        return None
    if last is None and head.last_position == 0:
        return None
    position = head.last_position
    return BreakReport(
        position,
        last.record.number if last else None,
        "link",
        f"the chain of {head.issuer_tax_id} should end at record {position}: "
        "its last records are missing or were replaced",
    )


def _first_break(session: Session, head: Head) -> tuple[int, BreakReport | None]:
    """How many records the issuer's chain has, and the first that does not hold."""
    stored = chain.records(session, head.issuer_tax_id)
    chain_found = _chain_break(stored)
    invoice_found = _invoice_break(session, head.issuer_tax_id, stored)
    found = [b for b in (chain_found, invoice_found) if b is not None]
    if found:
        return len(stored), min(found, key=lambda b: b.position)
    return len(stored), _head_break(head, stored)


def verify(session: Session) -> ChainReport:
    """Recompute every issuer's chain; the report names the first record that does not hold."""
    records = 0
    first: BreakReport | None = None
    with reading(session):
        heads = chain.heads(session)
        for head in heads:
            if first is None:
                count, first = _first_break(session, head)
            else:  # the report names one break: the other chains are only counted
                count = len(chain.records(session, head.issuer_tax_id))
            records += count
    return ChainReport(records, len(heads), first)
