"""The Verifactu records (one per issued invoice) and each issuer's chain head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.domain.numbering import Series
from clinic_billing.domain.verifactu import AltaRecord, InvoiceType, generated_at_text
from clinic_billing.infrastructure.tables import chain_heads, invoices, verifactu_records


@dataclass(frozen=True)
class Head:
    """The last record of an issuer's chain, locked while a record is added."""

    issuer_tax_id: str
    last_position: int
    last_hash: str


@dataclass(frozen=True)
class InvoiceFacts:
    """What the invoice row says about the fields its record hashed (to catch either edited)."""

    number: str | None
    issued_on: date | None
    series: Series
    reason_code: str | None
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class ChainEntry:
    """A stored record with its position, and its invoice's row as it is now (None: gone)."""

    position: int
    invoice_id: UUID
    record: AltaRecord
    invoice: InvoiceFacts | None


def _alta(row: Row[Any]) -> AltaRecord:
    return AltaRecord(
        issuer_tax_id=row.issuer_tax_id,
        number=row.number,
        issued_on=row.issued_on,
        invoice_type=cast(InvoiceType, row.invoice_type),
        tax_total=row.tax_total,
        total=row.total,
        generated_at=datetime.fromisoformat(row.generated_at),
        previous_hash=row.previous_hash,
        hash=row.hash,
    )


def has_head(session: Session, issuer_tax_id: str) -> bool:
    """Whether the issuer's chain head row exists (a plain read, no lock)."""
    query = select(chain_heads.c.issuer_tax_id).where(chain_heads.c.issuer_tax_id == issuer_tax_id)
    return session.execute(query).first() is not None


def create_head(session: Session, issuer_tax_id: str) -> None:
    """An empty chain for the issuer; one another transaction created first is left alone.

    In a transaction of its own before issuing, for the reason ``counters.create`` gives.
    """
    statement = (
        insert(chain_heads)
        .values(issuer_tax_id=issuer_tax_id, last_position=0, last_hash="")
        .prefix_with("IGNORE", dialect="mysql")
        .prefix_with("IGNORE", dialect="mariadb")
        .prefix_with("OR IGNORE", dialect="sqlite")
    )
    session.execute(statement)


def lock_head(session: Session, issuer_tax_id: str) -> Head | None:
    """The issuer's chain head, locked until the transaction ends (None: not created yet)."""
    query = select(chain_heads).where(chain_heads.c.issuer_tax_id == issuer_tax_id)
    row = session.execute(query.with_for_update()).first()
    return Head(row.issuer_tax_id, row.last_position, row.last_hash) if row else None


def record_at(session: Session, issuer_tax_id: str, position: int) -> AltaRecord | None:
    """The record at ``position`` of the issuer's chain.

    A locking (shared) read: on MariaDB a plain read could come from the transaction's older
    snapshot and miss the record the previous issuer committed just before the head was ours.
    """
    query = select(verifactu_records).where(
        verifactu_records.c.issuer_tax_id == issuer_tax_id,
        verifactu_records.c.position == position,
    )
    row = session.execute(query.with_for_update(read=True)).first()
    return _alta(row) if row else None


def append(session: Session, record: AltaRecord, position: int, invoice_id: UUID) -> None:
    """Store ``record`` at ``position`` and make it the head (the head must be locked)."""
    session.execute(
        insert(verifactu_records).values(
            issuer_tax_id=record.issuer_tax_id,
            position=position,
            invoice_id=str(invoice_id),
            number=record.number,
            issued_on=record.issued_on,
            invoice_type=record.invoice_type,
            tax_total=record.tax_total,
            total=record.total,
            generated_at=generated_at_text(record.generated_at),
            previous_hash=record.previous_hash,
            hash=record.hash,
        )
    )
    session.execute(
        update(chain_heads)
        .where(chain_heads.c.issuer_tax_id == record.issuer_tax_id)
        .values(last_position=position, last_hash=record.hash)
    )


def records_of(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, AltaRecord]:
    """The record of each of these invoices that has one (drafts have none)."""
    if not invoice_ids:
        return {}
    query = select(verifactu_records).where(
        verifactu_records.c.invoice_id.in_([str(i) for i in invoice_ids])
    )
    return {UUID(row.invoice_id): _alta(row) for row in session.execute(query)}


def heads(session: Session) -> list[Head]:
    """Every issuer's chain head."""
    rows = session.execute(select(chain_heads).order_by(chain_heads.c.issuer_tax_id))
    return [Head(row.issuer_tax_id, row.last_position, row.last_hash) for row in rows]


def entries(session: Session, issuer_tax_id: str) -> list[ChainEntry]:
    """The issuer's records in chain order, each with its invoice's row as stored now."""
    query = (
        select(
            verifactu_records,
            invoices.c.number.label("invoice_number"),
            invoices.c.issued_on.label("invoice_issued_on"),
            invoices.c.series.label("invoice_series"),
            invoices.c.reason_code.label("invoice_reason_code"),
            invoices.c.tax.label("invoice_tax"),
            invoices.c.total.label("invoice_total"),
        )
        .outerjoin(invoices, invoices.c.id == verifactu_records.c.invoice_id)
        .where(verifactu_records.c.issuer_tax_id == issuer_tax_id)
        .order_by(verifactu_records.c.position)
    )
    found = []
    for row in session.execute(query):
        facts = None
        if row.invoice_series is not None:
            facts = InvoiceFacts(
                number=row.invoice_number,
                issued_on=row.invoice_issued_on,
                series=cast(Series, row.invoice_series),
                reason_code=row.invoice_reason_code,
                tax=row.invoice_tax,
                total=row.invoice_total,
            )
        found.append(ChainEntry(row.position, UUID(row.invoice_id), _alta(row), facts))
    return found
