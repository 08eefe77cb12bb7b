"""Reading and writing invoices and their lines. Every write is guarded by the row's status:
a draft may be replaced or deleted; an issued invoice is updated when it takes its number and
when a payment moves its ``paid``/``status``/``version``, never otherwise, and never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.domain.invoices import Invoice, Status
from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import InvoiceNumber, Series
from clinic_billing.domain.rectification import Method, ReasonCode
from clinic_billing.domain.totals import EXEMPTIONS, InvoiceLine
from clinic_billing.infrastructure.parties import Issuer, Party
from clinic_billing.infrastructure.tables import invoice_lines, invoices
from clinic_shared.clock import utcnow
from clinic_shared.db import from_db, to_db
from clinic_shared.text import fold
from clinic_shared.write_batch import WriteBatch


@dataclass(frozen=True)
class StoredLine:
    """A line as entered, its rounded amount and the billable session it charges (if any)."""

    line: InvoiceLine
    amount: Decimal
    session_id: UUID | None = None


@dataclass(frozen=True)
class Issued:
    """The issuer's identity copied on an issued invoice."""

    legal_name: str
    tax_id: str
    address: str


@dataclass(frozen=True)
class RectificationInfo:
    """What a rectifying invoice says about the one it corrects."""

    rectifies_id: UUID
    method: Method
    reason_code: ReasonCode
    reason: str
    rectified_base: Decimal
    rectified_tax: Decimal


@dataclass(frozen=True)
class InvoiceRecord:
    """An invoice row: the domain's fields, the printed recipient (no lines when listed)."""

    id: UUID
    series: Series
    status: Status
    number: InvoiceNumber | None
    issued_on: date | None
    customer_id: UUID | None
    patient_id: UUID | None
    customer: Party
    language: str
    notes: str | None
    base: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    version: int
    lines: tuple[StoredLine, ...] = ()
    rectification: RectificationInfo | None = None
    issued_at: datetime | None = None

    @property
    def balance(self) -> Decimal:
        """What is still owed (nothing on a draft)."""
        return ZERO if self.status == "draft" else self.total - self.paid

    @property
    def session_ids(self) -> list[UUID]:
        """The billable sessions this invoice charges, in line order."""
        return [line.session_id for line in self.lines if line.session_id is not None]

    def domain(self) -> Invoice:
        """The domain invoice (needs the lines: its totals are computed from them)."""
        return Invoice(
            id=self.id,
            series=self.series,
            lines=tuple(stored.line for stored in self.lines),
            recipient_tax_id=self.customer.tax_id,
            status=self.status,
            number=self.number,
            issued_on=self.issued_on,
            paid=self.paid,
            version=self.version,
        )


def _rectification(row: Row[Any]) -> RectificationInfo | None:
    if not row.rectifies_id:
        return None
    return RectificationInfo(
        rectifies_id=UUID(row.rectifies_id),
        method=cast(Method, row.rectification_method),
        reason_code=cast(ReasonCode, row.reason_code),
        reason=row.reason or "",
        rectified_base=row.rectified_base if row.rectified_base is not None else ZERO,
        rectified_tax=row.rectified_tax if row.rectified_tax is not None else ZERO,
    )


def record_of(row: Row[Any], lines: Iterable[StoredLine] = ()) -> InvoiceRecord:
    """An ``invoices`` row (and its lines) as a record."""
    number = InvoiceNumber(row.series, row.year, row.sequence) if row.sequence is not None else None
    return InvoiceRecord(
        id=UUID(row.id),
        series=cast(Series, row.series),
        status=cast(Status, row.status),
        number=number,
        issued_on=row.issued_on,
        customer_id=UUID(row.customer_id) if row.customer_id else None,
        patient_id=UUID(row.patient_id) if row.patient_id else None,
        customer=Party(
            row.customer_name, row.customer_tax_id, row.customer_address, row.customer_email
        ),
        language=row.language,
        notes=row.notes,
        base=row.base,
        tax=row.tax,
        total=row.total,
        paid=row.paid,
        version=row.version,
        lines=tuple(lines),
        rectification=_rectification(row),
        issued_at=from_db(row.issued_at) if row.issued_at else None,
    )


def line_of(row: Row[Any]) -> StoredLine:
    """An ``invoice_lines`` row (or an object with its columns as attributes) as a line."""
    line = InvoiceLine(
        description=row.description,
        quantity=row.quantity,
        unit_price=row.unit_price,
        vat_rate=row.vat_rate,
        discount_percent=row.discount_percent,
        exemption=EXEMPTIONS[row.exemption] if row.exemption else None,
    )
    return StoredLine(line, row.amount, UUID(row.session_id) if row.session_id else None)


def lines_of(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, list[StoredLine]]:
    """The lines of each invoice, in position order."""
    found: dict[UUID, list[StoredLine]] = {invoice_id: [] for invoice_id in invoice_ids}
    query = (
        select(invoice_lines)
        .where(invoice_lines.c.invoice_id.in_([str(i) for i in invoice_ids]))
        .order_by(invoice_lines.c.invoice_id, invoice_lines.c.position)
    )
    for row in session.execute(query):
        found[UUID(row.invoice_id)].append(line_of(row))
    return found


def get(session: Session, invoice_id: UUID, *, lock: bool = False) -> InvoiceRecord | None:
    """One invoice with its lines, or None; ``lock`` holds its row until the transaction ends."""
    query = select(invoices).where(invoices.c.id == str(invoice_id))
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        return None
    return record_of(row, lines_of(session, [invoice_id])[invoice_id])


# By the primary key, always: a scan the optimiser may prefer on a small table would lock
# every row it passes, other issuing turns' drafts too (a deadlock between two replicas).
# A constant (an expanding IN): built per call, its cache key was computed on every turn.
_PRIMARY = "FORCE INDEX (PRIMARY)"
_LOCK_STATES = (
    select(invoices.c.id, invoices.c.status, invoices.c.version)
    .with_hint(invoices, _PRIMARY, "mysql")
    .with_hint(invoices, _PRIMARY, "mariadb")
    .where(invoices.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(invoices.c.id)
    .with_for_update()
)


def lock_states(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, tuple[str, int]]:
    """The status and version of each of ``invoice_ids`` that exists, their rows locked until
    the transaction ends (in id order, the order every locker of several invoices takes)."""
    rows = session.execute(_LOCK_STATES, {"ids": sorted(str(i) for i in invoice_ids)})
    return {UUID(row.id): (row.status, row.version) for row in rows}


# The header fields a draft writes as they are in the record.
_HEADER = ("series", "status", "base", "tax", "total", "paid", "notes", "version")


def _recipient(record: InvoiceRecord) -> dict[str, Any]:
    return {
        "customer_id": str(record.customer_id) if record.customer_id else None,
        "patient_id": str(record.patient_id) if record.patient_id else None,
        "customer_name": record.customer.name,
        "customer_search": fold(record.customer.name),
        "customer_tax_id": record.customer.tax_id,
        "customer_address": record.customer.address,
        "customer_email": record.customer.email,
        "language": record.language,
    }


def _draft_columns(record: InvoiceRecord) -> dict[str, Any]:
    info = record.rectification
    columns = {
        **_recipient(record),
        **{name: getattr(record, name) for name in _HEADER},
    }
    if info is not None:
        columns.update(
            rectifies_id=str(info.rectifies_id),
            rectification_method=info.method,
            reason_code=info.reason_code,
            reason=info.reason,
            rectified_base=info.rectified_base,
            rectified_tax=info.rectified_tax,
        )
    return columns


def _insert_lines(session: Session, invoice_id: UUID, lines: Sequence[StoredLine]) -> None:
    rows = [
        {
            "invoice_id": str(invoice_id),
            "position": position,
            "description": stored.line.description,
            "quantity": stored.line.quantity,
            "unit_price": stored.line.unit_price,
            "discount_percent": stored.line.discount_percent,
            "vat_rate": stored.line.vat_rate,
            "exemption": stored.line.exemption.key if stored.line.exemption else None,
            "amount": stored.amount,
            "session_id": str(stored.session_id) if stored.session_id else None,
        }
        for position, stored in enumerate(lines, start=1)
    ]
    if rows:
        session.execute(insert(invoice_lines), rows)


def add_draft(session: Session, record: InvoiceRecord, created_by: str | None) -> None:
    """Insert a new draft (no number yet) and its lines."""
    now = utcnow()
    session.execute(
        insert(invoices).values(
            id=str(record.id),
            created_by=created_by,
            created_at=now,
            updated_at=now,
            **_draft_columns(record),
        )
    )
    _insert_lines(session, record.id, record.lines)


def replace_draft(session: Session, record: InvoiceRecord) -> None:
    """Write back an edited draft: its header and all its lines (never an issued invoice)."""
    result = session.execute(
        update(invoices)
        .where(invoices.c.id == str(record.id), invoices.c.status == "draft")
        .values(updated_at=utcnow(), **_draft_columns(record))
    )
    _exactly_one(result, record.id)
    session.execute(delete(invoice_lines).where(invoice_lines.c.invoice_id == str(record.id)))
    _insert_lines(session, record.id, record.lines)


# The one write at issue, kept as a constant: it runs under the numbering locks, where a
# statement compiled afresh each time would cost more than the rest of the issue.
_MARK_ISSUED = update(invoices).where(
    invoices.c.id == bindparam("invoice_id"), invoices.c.status == "draft"
)


def mark_issued(writes: WriteBatch, record: InvoiceRecord, issuer: Issuer) -> None:
    """Give a draft its number and date, freeze recipient and issuer (the one write at issue)."""
    assert record.number is not None
    assert record.issued_at is not None
    values = {
        "invoice_id": str(record.id),
        "status": record.status,
        "year": record.number.year,
        "sequence": record.number.sequence,
        "number": str(record.number),
        "issued_on": record.issued_on,
        "issued_at": to_db(record.issued_at),
        "version": record.version,
        "updated_at": utcnow(),
        "issuer_name": issuer.legal_name,
        "issuer_tax_id": issuer.tax_id,
        "issuer_address": issuer.address,
        **_recipient(record),
    }
    # The use case locked and checked the row first: anything but one row is a bug.
    writes.execute(_MARK_ISSUED, values, rows=1, what=f"invoice {record.id}")


def get_as_issued(session: Session, invoice_id: UUID) -> tuple[InvoiceRecord, Issued | None] | None:
    """One invoice with its lines and the clinic as its issue froze it (None on a draft), from
    one read of its row; None if there is no such invoice."""
    row = session.execute(select(invoices).where(invoices.c.id == str(invoice_id))).first()
    if row is None:
        return None
    record = record_of(row, lines_of(session, [invoice_id])[invoice_id])
    if row.issuer_tax_id is None:
        return record, None
    return record, Issued(row.issuer_name, row.issuer_tax_id, row.issuer_address)


def record_payment_state(session: Session, record: InvoiceRecord) -> None:
    """After a payment: only ``paid``, ``status`` and ``version`` of an issued invoice change."""
    result = session.execute(
        update(invoices)
        .where(invoices.c.id == str(record.id), invoices.c.status != "draft")
        .values(paid=record.paid, status=record.status, version=record.version)
    )
    _exactly_one(result, record.id)


def delete_draft(session: Session, invoice_id: UUID) -> None:
    """Remove a draft and its lines (an issued invoice is never deleted)."""
    result = session.execute(
        delete(invoices).where(invoices.c.id == str(invoice_id), invoices.c.status == "draft")
    )
    _exactly_one(result, invoice_id)
    session.execute(delete(invoice_lines).where(invoice_lines.c.invoice_id == str(invoice_id)))


def _exactly_one(result: Any, invoice_id: UUID) -> None:
    """The use cases lock and check the row first: anything but one row is a bug."""
    if result.rowcount != 1:
        raise RuntimeError(f"invoice {invoice_id}: one row should change, not {result.rowcount}")
