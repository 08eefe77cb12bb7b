"""The Verifactu records (one per issued invoice) and each issuer's chain head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from typing import cast as cast_
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Row,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from clinic_billing.domain.numbering import Series
from clinic_billing.domain.verifactu import AltaRecord, InvoiceType, generated_at_text
from clinic_billing.infrastructure.columns import Money
from clinic_billing.infrastructure.tables import chain_heads, invoices, verifactu_records
from clinic_shared.write_batch import WriteBatch


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
    record: AltaRecord
    invoice: InvoiceFacts | None


# What ``_alta`` reads of a record.
_ALTA_COLUMNS = tuple(
    verifactu_records.c[name]
    for name in (
        "issuer_tax_id", "number", "issued_on", "invoice_type", "tax_total", "total",
        "generated_at", "previous_hash", "hash",
    )
)  # fmt: skip


def _alta(row: Row[Any] | SimpleNamespace) -> AltaRecord:
    return AltaRecord(
        issuer_tax_id=row.issuer_tax_id,
        number=row.number,
        issued_on=row.issued_on,
        invoice_type=cast_(InvoiceType, row.invoice_type),
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


def tail_query(after: Table | None = None) -> Select[Any]:
    """The chain head of the issuer named by the parameter ``tail_tax_id`` and the record it
    points at (none before the first), read ``after`` a table the caller joins first
    (``counters.lock_with_chain_tail``: the lock order). A constant for the caller to keep."""
    head, record = chain_heads.c, verifactu_records.c
    return (
        select(
            head.issuer_tax_id.label("head_tax_id"),
            head.last_position,
            head.last_hash,
            *(column.label(f"record_{column.name}") for column in _ALTA_COLUMNS),
        )
        .select_from(chain_heads if after is None else after.join(chain_heads, true()))
        .outerjoin(
            verifactu_records,
            and_(
                record.issuer_tax_id == head.issuer_tax_id,
                record.position == head.last_position,
            ),
        )
        .where(head.issuer_tax_id == bindparam("tail_tax_id"))
    )


def tail_of(row: Row[Any]) -> tuple[Head, AltaRecord | None]:
    """The head and the record it points at, from a row of ``tail_query``."""
    found = Head(row.head_tax_id, row.last_position, row.last_hash)
    if row.record_hash is None:
        return found, None
    fields = {column.name: row._mapping[f"record_{column.name}"] for column in _ALTA_COLUMNS}
    return found, _alta(SimpleNamespace(**fields))


_APPEND = insert(verifactu_records)


def append(writes: WriteBatch, record: AltaRecord, position: int, invoice_id: UUID) -> None:
    """Store ``record`` at ``position`` (the head must be locked; ``move_head`` follows)."""
    values = {
        "issuer_tax_id": record.issuer_tax_id,
        "position": position,
        "invoice_id": str(invoice_id),
        "number": record.number,
        "issued_on": record.issued_on,
        "invoice_type": record.invoice_type,
        "tax_total": record.tax_total,
        "total": record.total,
        "generated_at": generated_at_text(record.generated_at),
        "previous_hash": record.previous_hash,
        "hash": record.hash,
    }
    writes.execute(_APPEND, values)


_MOVE_HEAD = update(chain_heads).where(chain_heads.c.issuer_tax_id == bindparam("head_tax_id"))


def move_head(writes: WriteBatch, head: Head) -> None:
    """Make ``head`` the issuer's head: its last record's position and hash (it is locked)."""
    values = {
        "head_tax_id": head.issuer_tax_id,
        "last_position": head.last_position,
        "last_hash": head.last_hash,
    }
    writes.execute(_MOVE_HEAD, values, rows=1)


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


# Verifying reads every record of a chain: 100,000 a year at a big clinic, in seconds.
#
# pymysql decodes each value of each row in Python, which cost more than all the hashing, so
# ``records`` reads each record as one tab-separated text (the values as the columns store
# them) and decodes it with the columns' own types, each distinct date and amount once. The
# server compares the record with its invoice's row in the same read and adds one character
# (``_same_as_hashed``): only the rows it does not find byte for byte identical (none, unless
# someone edited one) are read again and compared field by field (``invoice_facts``). The rows
# come unsorted, as the server joins them, while they are decoded here.
_SEPARATOR = "\t"
_MONEY = Money()
_RECORD_COLUMNS = (
    "position", "issuer_tax_id", "number", "issued_on", "invoice_type", "tax_total", "total",
    "generated_at", "previous_hash", "hash",
)  # fmt: skip


def _exactly(left: ColumnElement[Any], right: ColumnElement[Any]) -> ColumnElement[bool]:
    """Byte for byte (the columns' collation would call 'f' and 'F' equal)."""
    return cast(left, LargeBinary) == cast(right, LargeBinary)


def _same_as_hashed() -> ColumnElement[bool]:
    """The record's invoice row is there and says, byte for byte, what the record hashed.

    The record type an invoice implies is ``domain.verifactu.invoice_type``'s: F1 for F, F2
    for S, else the reason code. Anything NULL makes it false: the comparison then falls to
    ``_changed_fields``, which decides exactly (this only spares it the identical rows).
    """
    r, i = verifactu_records.c, invoices.c
    implied_type = case(
        (_exactly(i.series, literal("F")), literal("F1")),
        (_exactly(i.series, literal("S")), literal("F2")),
        else_=i.reason_code,
    )
    same = and_(
        i.id.is_not(None),
        _exactly(i.number, r.number),
        i.issued_on == r.issued_on,
        _exactly(implied_type, r.invoice_type),
        i.tax == r.tax_total,  # scaled integers: equal amounts, equal integers
        i.total == r.total,
    )
    return func.coalesce(same, False)


def _packed() -> ColumnElement[str]:
    """The record's values as one text, tab-separated (every column is NOT NULL), then "1"
    when its invoice's row is as hashed, else "0"."""
    parts: list[ColumnElement[str]] = [
        column if isinstance(column.type, String) else cast(column, String)
        for column in (verifactu_records.c[name] for name in _RECORD_COLUMNS)
    ]
    parts.append(case((_same_as_hashed(), literal("1")), else_=literal("0")))
    text = parts[0]
    for part in parts[1:]:
        text = text.concat(_SEPARATOR).concat(part)
    return text


class _Decoder:
    """Values as the columns' types give them, each distinct text decoded once (a chain has a
    few hundred dates and amounts among its many records)."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, Decimal] = {}

    def date(self, text: str) -> date:
        found = self.dates.get(text)
        if found is None:
            found = self.dates[text] = date.fromisoformat(text)
        return found

    def amount(self, text: str) -> Decimal:
        found = self.amounts.get(text)
        if found is None:
            decoded = _MONEY.process_result_value(int(text), self.dialect)
            assert decoded is not None  # an integer always decodes
            found = self.amounts[text] = decoded
        return found

    def record(self, fields: list[str]) -> StoredRecord:
        """One packed row (``_packed``'s fields)."""
        (position, issuer, number, issued_on, kind, tax, total, generated_at, previous_hash,
         hash_, same) = fields  # fmt: skip
        record = AltaRecord(
            issuer_tax_id=issuer,
            number=number,
            issued_on=self.date(issued_on),
            invoice_type=cast_(InvoiceType, kind),
            tax_total=self.amount(tax),
            total=self.amount(total),
            generated_at=datetime.fromisoformat(generated_at),
            previous_hash=previous_hash,
            hash=hash_,
        )
        return StoredRecord(int(position), record, same == "1")


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record, its position in the chain, and whether its invoice's row is still exactly
    what it hashed (False: gone or different, to be compared field by field)."""

    position: int
    record: AltaRecord
    invoice_as_hashed: bool


def records(session: Session, issuer_tax_id: str) -> list[StoredRecord]:
    """The issuer's records in chain order, each compared with its invoice's row."""
    query = (
        select(_packed())
        .select_from(verifactu_records)
        .outerjoin(invoices, invoices.c.id == verifactu_records.c.invoice_id)
        .where(verifactu_records.c.issuer_tax_id == issuer_tax_id)
        .execution_options(stream_results=True, yield_per=1000)
    )
    decoder = _Decoder(session.get_bind().dialect)
    found = []
    unpackable = []
    for packed in session.scalars(query):
        fields = packed.split(_SEPARATOR)
        if len(fields) == len(_RECORD_COLUMNS) + 1:
            found.append(decoder.record(fields))
        else:  # a value holding a tab: read that record column by column afterwards
            unpackable.append(int(fields[0]))
    for position in unpackable:
        row = session.execute(
            select(verifactu_records).where(
                verifactu_records.c.issuer_tax_id == issuer_tax_id,
                verifactu_records.c.position == position,
            )
        ).one()
        found.append(StoredRecord(position, _alta(row), False))
    found.sort(key=lambda stored: stored.position)
    return found


def invoice_facts(
    session: Session, issuer_tax_id: str, positions: Sequence[int]
) -> dict[int, InvoiceFacts | None]:
    """What the invoice row of each of these records says now (None: the row is gone)."""
    if not positions:
        return {}
    query = (
        select(
            verifactu_records.c.position,
            invoices.c.number,
            invoices.c.issued_on,
            invoices.c.series,
            invoices.c.reason_code,
            invoices.c.tax,
            invoices.c.total,
        )
        .outerjoin(invoices, invoices.c.id == verifactu_records.c.invoice_id)
        .where(
            verifactu_records.c.issuer_tax_id == issuer_tax_id,
            verifactu_records.c.position.in_(list(positions)),
        )
    )
    found: dict[int, InvoiceFacts | None] = {}
    for row in session.execute(query):
        found[row.position] = None
        if row.series is not None:
            found[row.position] = InvoiceFacts(
                number=row.number,
                issued_on=row.issued_on,
                series=cast_(Series, row.series),
                reason_code=row.reason_code,
                tax=row.tax,
                total=row.total,
            )
    return found
