"""The per-series counter rows numbers are taken from (never AUTO_INCREMENT: a rollback of the
issuing transaction gives its number back because the counter's update rolls back with it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.domain.numbering import InvoiceNumber, Series
from clinic_billing.domain.verifactu import AltaRecord
from clinic_billing.infrastructure import chain
from clinic_billing.infrastructure.chain import Head
from clinic_billing.infrastructure.tables import counters
from clinic_shared.db import from_db, to_db
from clinic_shared.write_batch import WriteBatch


@dataclass(frozen=True)
class Counter:
    """A series' latest number, issue date and moment, as locked by the issuing transaction."""

    series: Series
    last: InvoiceNumber | None
    last_issued_on: date | None
    last_issued_at: datetime | None = None  # None: nothing issued since it was recorded


def missing(session: Session, series: Iterable[Series]) -> list[Series]:
    """Which of ``series`` have no counter row yet (a plain read, no lock)."""
    wanted = list(series)
    found = set(
        session.execute(select(counters.c.series).where(counters.c.series.in_(wanted))).scalars()
    )
    return [name for name in wanted if name not in found]


def create(session: Session, series: Series, year: int) -> None:
    """An empty counter row; a row another transaction created first is left alone.

    Run in a transaction of its own before issuing: creating the row inside the issuing
    transaction would make two first issues deadlock on MariaDB (each holding the gap lock its
    ``SELECT … FOR UPDATE`` of the missing row took, each waiting to insert into it).
    """
    statement = (
        insert(counters)
        .values(series=series, year=year, last_sequence=0, last_issued_on=None)
        .prefix_with("IGNORE", dialect="mysql")
        .prefix_with("IGNORE", dialect="mariadb")
        .prefix_with("OR IGNORE", dialect="sqlite")
    )
    session.execute(statement)


# Kept as a constant: a statement built on each call costs its cache key (a walk of the whole
# statement) every turn, under the locks.
_LOCK_WITH_TAIL = (
    chain.tail_query(after=counters)
    .add_columns(
        counters.c.year,
        counters.c.last_sequence,
        counters.c.last_issued_on,
        counters.c.last_issued_at,
    )
    .where(counters.c.series == bindparam("counter_series"))
    .with_for_update()
)


def lock_with_chain_tail(
    session: Session, series: Series, issuer_tax_id: str
) -> tuple[Counter, Head, AltaRecord | None] | None:
    """The series' counter, the issuer's chain head and the record it points at, locked until
    the transaction ends (None: the counter or the head is not created yet).

    One read, not two: every issue of the clinic queues on these rows, so each round trip
    made while they are held is taken from the issuing rate. A locking read: on MariaDB a
    plain read could come from the transaction's older snapshot and miss the record the
    previous issuer committed just before the head was ours.
    """
    row = session.execute(
        _LOCK_WITH_TAIL, {"tail_tax_id": issuer_tax_id, "counter_series": series}
    ).first()
    if row is None:
        return None
    last = InvoiceNumber(series, row.year, row.last_sequence) if row.last_sequence else None
    issued_at = from_db(row.last_issued_at) if row.last_issued_at else None
    return Counter(series, last, row.last_issued_on, issued_at), *chain.tail_of(row)


# A constant, like every write of a turn (``WriteBatch``): compiled once per process, not
# under the numbering locks of every turn.
_ADVANCE = update(counters).where(counters.c.series == bindparam("counter_series"))


def advance(writes: WriteBatch, counter: Counter) -> None:
    """Record ``counter``'s latest number, date and moment (the counter row must be locked)."""
    assert counter.last is not None
    assert counter.last_issued_at is not None
    values = {
        "counter_series": counter.series,
        "year": counter.last.year,
        "last_sequence": counter.last.sequence,
        "last_issued_on": counter.last_issued_on,
        "last_issued_at": to_db(counter.last_issued_at),
    }
    writes.execute(_ADVANCE, values, rows=1)
