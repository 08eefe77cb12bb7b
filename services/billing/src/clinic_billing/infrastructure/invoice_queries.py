"""The read side's SQL: invoice lists and search, references between invoices, numbers, figures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.infrastructure.columns import Money
from clinic_billing.infrastructure.invoices import InvoiceRecord, lines_of, record_of
from clinic_billing.infrastructure.tables import invoices
from clinic_shared.text import fold

_FULL_NUMBER = re.compile(r"^[FSR]\d{10}$")
_NUMBER_PREFIX = re.compile(r"^[FSR]\d+$")
_DIGITS = re.compile(r"^\d+$")
_WORD = re.compile(r"\w+")
OPEN_STATUSES = ("issued", "partially_paid")


@dataclass(frozen=True)
class InvoiceFilters:
    """What the invoice list is cut by (every filter optional)."""

    q: str | None = None
    statuses: Sequence[str] = ()
    series: str | None = None
    customer_id: UUID | None = None
    patient_id: UUID | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    outstanding: bool = False


def _matches(q: str) -> ColumnElement[bool]:
    """A number (``F2026000001``, ``F2026``, or trailing digits) or the customer's name words."""
    text = q.strip().upper()
    if _FULL_NUMBER.match(text):
        return invoices.c.number == text
    if _NUMBER_PREFIX.match(text):
        return invoices.c.number.startswith(text)
    if _DIGITS.match(text):
        return invoices.c.number.endswith(text)
    words = _WORD.findall(fold(q))
    if not words:
        return invoices.c.id.is_(None)  # nothing searchable: nothing found
    # Every word must begin one of the name's words (folded: accent- and case-insensitive).
    return and_(
        *(
            or_(
                invoices.c.customer_search.startswith(word, autoescape=True),
                invoices.c.customer_search.contains(f" {word}", autoescape=True),
            )
            for word in words
        )
    )


def _filtered(filters: InvoiceFilters) -> Select[Any]:
    query = select(invoices)
    if filters.q and filters.q.strip():
        query = query.where(_matches(filters.q))
    if filters.statuses:
        query = query.where(invoices.c.status.in_(list(filters.statuses)))
    if filters.series:
        query = query.where(invoices.c.series == filters.series)
    if filters.customer_id:
        query = query.where(invoices.c.customer_id == str(filters.customer_id))
    if filters.patient_id:
        query = query.where(invoices.c.patient_id == str(filters.patient_id))
    if filters.issued_from:
        query = query.where(invoices.c.issued_on >= filters.issued_from)
    if filters.issued_to:
        query = query.where(invoices.c.issued_on <= filters.issued_to)
    if filters.outstanding:
        # Both scaled integers of the same scale: comparing the columns compares the amounts.
        query = query.where(
            invoices.c.status.in_(OPEN_STATUSES), invoices.c.total > invoices.c.paid
        )
    return query


def search(
    session: Session, filters: InvoiceFilters, offset: int, limit: int
) -> list[InvoiceRecord]:
    """A page of invoices without lines: drafts first, then the newest issued."""
    query = (
        _filtered(filters)
        .order_by(
            case((invoices.c.issued_at.is_(None), 0), else_=1),
            invoices.c.issued_at.desc(),
            invoices.c.created_at.desc(),
            invoices.c.id,
        )
        .offset(offset)
        .limit(limit)
    )
    return [record_of(row) for row in session.execute(query)]


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


def numbers_of_year(session: Session, year: int) -> list[InvoiceNumber]:
    """Every number issued in ``year``, every series."""
    query = select(invoices.c.series, invoices.c.year, invoices.c.sequence).where(
        invoices.c.year == year, invoices.c.sequence.is_not(None)
    )
    return [InvoiceNumber(row.series, row.year, row.sequence) for row in session.execute(query)]


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


def figures(session: Session, month_start: date, month_end: date) -> Figures:
    """Issued invoices (all time and in the month), Σ(total − paid), Σ replaced originals."""
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
        )
    ).one()
    return Figures(
        issued=int(row.issued or 0),
        issued_in_range=int(row.in_month or 0),
        owed=(row.total or ZERO) - (row.paid or ZERO),
        replaced=(row.replaced_base or ZERO) + (row.replaced_tax or ZERO),
    )
