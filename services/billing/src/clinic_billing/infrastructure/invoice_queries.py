"""The read side's other SQL: references between invoices, number checks, figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import Gap, InvoiceNumber, Series
from clinic_billing.infrastructure.columns import Money
from clinic_billing.infrastructure.invoices import InvoiceRecord, lines_of, record_of
from clinic_billing.infrastructure.tables import invoices


@dataclass(frozen=True)
class Reference:
    """Another invoice as one invoice names it."""

    id: UUID
    number: str | None
    issued_on: date | None


def references(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, Reference]:
    """Number and date of each of these invoices."""
    if not invoice_ids:
        return {}
    query = select(invoices.c.id, invoices.c.number, invoices.c.issued_on).where(
        invoices.c.id.in_([str(i) for i in invoice_ids])
    )
    return {
        UUID(row.id): Reference(UUID(row.id), row.number, row.issued_on)
        for row in session.execute(query)
    }


def rectifying(session: Session, invoice_ids: Sequence[UUID]) -> dict[UUID, list[Reference]]:
    """The issued rectifying invoices of each of these invoices, oldest first."""
    found: dict[UUID, list[Reference]] = {invoice_id: [] for invoice_id in invoice_ids}
    if not invoice_ids:
        return found
    query = (
        select(invoices.c.id, invoices.c.number, invoices.c.issued_on, invoices.c.rectifies_id)
        .where(
            invoices.c.rectifies_id.in_([str(i) for i in invoice_ids]),
            invoices.c.number.is_not(None),
        )
        .order_by(invoices.c.issued_at, invoices.c.number)
    )
    for row in session.execute(query):
        found[UUID(row.rectifies_id)].append(Reference(UUID(row.id), row.number, row.issued_on))
    return found


def number_check(session: Session, year: int) -> tuple[list[Gap], list[InvoiceNumber]]:
    """Every series' missing and repeated numbers of ``year``, without reading every number.

    A year of a big clinic holds some 200,000 numbers. The unique index on (series, year,
    sequence) makes a repeated number impossible, so a series whose year holds as many numbers
    as its highest one, starting at 1, misses none: COUNT, MIN and MAX over that index prove
    it, reading the index alone. Only a series that disagrees is searched, by halves, for the
    ranges that hold fewer numbers than they span; the numbers themselves are read only in
    ranges of at most _GAP_READ, around each gap.
    """
    gaps: list[Gap] = []
    repeated: list[InvoiceNumber] = []
    numbered = and_(invoices.c.year == year, invoices.c.sequence.is_not(None))
    # Every series there is, by a skip along the index's first column (a few reads), then
    # each one's year as a range of it.
    names = select(invoices.c.series).distinct()
    for name in sorted(session.scalars(names)):
        series = cast(Series, name)
        in_series = and_(invoices.c.series == series, numbered)
        row = session.execute(
            select(func.count(), func.max(invoices.c.sequence)).where(in_series)
        ).one()
        count, highest = int(row[0]), row[1]
        if not count:
            continue
        holes: list[tuple[int, int]] = []
        _holes(session, in_series, 1, highest, count, holes, repeated, series, year)
        for first, last in holes:
            if gaps and gaps[-1].series == series and gaps[-1].last + 1 == first:
                gaps[-1] = Gap(series, year, gaps[-1].first, last)  # halves that meet
            else:
                gaps.append(Gap(series, year, first, last))
    return gaps, sorted(repeated)


_GAP_READ = 4096  # sequences read one by one once a range with a gap is this small


def _holes(
    session: Session,
    in_series: ColumnElement[bool],
    low: int,
    high: int,
    count: int,
    holes: list[tuple[int, int]],
    repeated: list[InvoiceNumber],
    series: Series,
    year: int,
) -> None:
    """Append the missing ranges of ``low``..``high`` (holding ``count`` numbers), in order."""
    if count == high - low + 1:
        return  # as many as it spans, none repeated: complete
    if count == 0:
        holes.append((low, high))
        return
    in_range = and_(in_series, invoices.c.sequence.between(low, high))
    if high - low < _GAP_READ:
        query = select(invoices.c.sequence).where(in_range).order_by(invoices.c.sequence)
        expected = low
        previous = None
        for sequence in session.scalars(query):
            if sequence == previous:
                number = InvoiceNumber(series, year, sequence)
                if number not in repeated:
                    repeated.append(number)
            elif sequence > expected:
                holes.append((expected, sequence - 1))
            expected, previous = sequence + 1, sequence
        if expected <= high:
            holes.append((expected, high))
        return
    middle = (low + high) // 2
    left = session.scalar(
        select(func.count()).where(in_series, invoices.c.sequence.between(low, middle))
    )
    left = int(left or 0)
    _holes(session, in_series, low, middle, left, holes, repeated, series, year)
    _holes(session, in_series, middle + 1, high, count - left, holes, repeated, series, year)


def issued_between(session: Session, first: date, last: date) -> list[InvoiceRecord]:
    """Invoices issued from ``first`` to ``last`` (inclusive) with their lines, in number order."""
    query = (
        select(invoices)
        .where(invoices.c.issued_on >= first, invoices.c.issued_on <= last)
        .order_by(invoices.c.issued_on, invoices.c.issued_at, invoices.c.series, invoices.c.number)
    )
    rows = list(session.execute(query))
    lines = lines_of(session, [UUID(row.id) for row in rows])
    return [record_of(row, lines[UUID(row.id)]) for row in rows]


@dataclass(frozen=True)
class Figures:
    """The dashboard's raw sums."""

    issued: int
    issued_in_range: int
    owed: Decimal
    replaced: Decimal


def _sum_where(condition: ColumnElement[bool], amount: ColumnElement[Any]) -> Any:
    # No FILTER clause: MariaDB has none. The sum of a scaled-integer column is read back
    # through the column's type, so it arrives as an exact Decimal.
    return type_coerce(func.sum(case((condition, amount), else_=0)), Money())


def figures(
    session: Session, month_start: date, month_end: date, patient_id: str | None = None
) -> Figures:
    """Issued invoices (all time and in the month), Σ(total − paid), Σ replaced originals;
    of every invoice, or of one patient's (whoever paid them: ix_invoices_patient)."""
    is_issued = invoices.c.status != "draft"
    in_month = and_(
        is_issued, invoices.c.issued_on >= month_start, invoices.c.issued_on < month_end
    )
    replaces = invoices.c.rectification_method == "substitution"
    row = session.execute(
        select(
            func.sum(case((is_issued, 1), else_=0)).label("issued"),
            func.sum(case((in_month, 1), else_=0)).label("in_month"),
            _sum_where(is_issued, invoices.c.total).label("total"),
            _sum_where(is_issued, invoices.c.paid).label("paid"),
            _sum_where(replaces, invoices.c.rectified_base).label("replaced_base"),
            _sum_where(replaces, invoices.c.rectified_tax).label("replaced_tax"),
        ).where(*([invoices.c.patient_id == patient_id] if patient_id else []))
    ).one()
    return Figures(
        issued=int(row.issued or 0),
        issued_in_range=int(row.in_month or 0),
        owed=(row.total or ZERO) - (row.paid or ZERO),
        replaced=(row.replaced_base or ZERO) + (row.replaced_tax or ZERO),
    )
