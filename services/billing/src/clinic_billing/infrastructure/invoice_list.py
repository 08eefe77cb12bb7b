"""The invoice list: filters as index-friendly conditions, drafts first then the newest issued."""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    select,
)
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.invoice_name_search import (
    KEY,
    NEWEST,
    NEWEST_DRAFTS,
    ORDERED,
    begins_a_word,
    by_name,
)
from clinic_billing.infrastructure.invoice_number_search import by_suffix, ending_in
from clinic_billing.infrastructure.invoices import InvoiceRecord, record_of
from clinic_billing.infrastructure.tables import invoices
from clinic_shared.text import fold

_FULL_NUMBER = re.compile(r"^[FSR]\d{10}$")
_NUMBER_PREFIX = re.compile(r"^[FSR]\d+$")
_DIGITS = re.compile(r"^\d+$")
_WORD = re.compile(r"\w+")
OPEN_STATUSES = ("issued", "partially_paid")
_DAY = timedelta(days=1)


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


def _issued_between(first: date | None, last: date | None) -> list[ColumnElement[bool]]:
    """Bounds on ``issued_at`` that every invoice issued from ``first`` to ``last`` meets.

    ``issued_on`` is the clinic's local date of the moment ``issued_at`` holds in UTC (both are
    written together at issue), and local time is UTC−12 h to UTC+14 h anywhere, so a day's
    invoices were issued between the UTC midnight before it and the one two days after it.
    The bounds remove no invoice the dates select; they let an index that starts with
    ``issued_at`` (and so gives the list's order) read only the range.
    """
    bounds = []
    try:
        if first is not None:
            bounds.append(invoices.c.issued_at >= datetime.combine(first - _DAY, time()))
        if last is not None:
            bounds.append(invoices.c.issued_at < datetime.combine(last + 2 * _DAY, time()))
    except OverflowError:  # year 1 or 9999: no bound is needed that far out
        pass
    return bounds


def _matches(session: Session, q: str) -> list[ColumnElement[bool]]:
    """A number (``F2026000001``, ``F2026``, or trailing digits) or the customer's name words."""
    text = q.strip().upper()
    if _FULL_NUMBER.match(text):
        return [invoices.c.number == text]
    if _NUMBER_PREFIX.match(text):
        # The series letter is the number's first character; with a whole year the year and
        # its issue dates follow too (as in _number_suffix, the number is made of them): the
        # index on (series, issued_at, …) then reads that series' year in the list's order.
        found = [invoices.c.number.startswith(text), invoices.c.series == text[0]]
        if len(text) >= 5:
            year = int(text[1:5])
            found.append(invoices.c.year == year)
            if year > 1:
                found += _issued_between(date(year, 1, 1), date(year, 12, 31))
        return found
    if _DIGITS.match(text):
        return ending_in(session, text)
    words = _WORD.findall(fold(q))
    if not words:
        return [invoices.c.id.is_(None)]  # nothing searchable: nothing found
    return _name_words(words)


def _name_words(words: Sequence[str]) -> list[ColumnElement[bool]]:
    """Every word must begin one of the name's words (folded: accent- and case-insensitive)."""
    return [begins_a_word(invoices.c.customer_search, word) for word in words]


def _searched_alone(filters: InvoiceFilters) -> str:
    """The search text when nothing else filters the list (else empty)."""
    others = (filters.statuses, filters.series, filters.customer_id, filters.patient_id,
              filters.issued_from, filters.issued_to, filters.outstanding)  # fmt: skip
    return "" if any(others) else (filters.q or "").strip()


def _only_name(filters: InvoiceFilters) -> list[str]:
    """The words of a search by name alone (no number, no other filter); else none."""
    text = _searched_alone(filters)
    if not text or _NUMBER_PREFIX.match(text.upper()) or _DIGITS.match(text):
        return []
    return _WORD.findall(fold(text))


def _only_digits(filters: InvoiceFilters) -> str:
    """The digits of a search by a number's last digits alone (no other filter); else ""."""
    text = _searched_alone(filters)
    return text if _DIGITS.match(text) else ""


def _finds_no_draft(filters: InvoiceFilters) -> bool:
    """A search by number (digits or a series and digits) never finds a draft: it has none."""
    text = (filters.q or "").strip().upper()
    return bool(_DIGITS.match(text) or _NUMBER_PREFIX.match(text))


def _conditions(session: Session, filters: InvoiceFilters) -> list[ColumnElement[bool]]:
    """The filters as WHERE conditions, with redundant bounds an index can use."""
    found: list[ColumnElement[bool]] = []
    if filters.q and filters.q.strip():
        found += _matches(session, filters.q)
    if filters.statuses:
        found.append(invoices.c.status.in_(list(filters.statuses)))
    if filters.series:
        found.append(invoices.c.series == filters.series)
    if filters.customer_id:
        found.append(invoices.c.customer_id == str(filters.customer_id))
    if filters.patient_id:
        found.append(invoices.c.patient_id == str(filters.patient_id))
    if filters.issued_from:
        found.append(invoices.c.issued_on >= filters.issued_from)
    if filters.issued_to:
        found.append(invoices.c.issued_on <= filters.issued_to)
    if filters.issued_from or filters.issued_to:
        found += _issued_between(filters.issued_from, filters.issued_to)
    if filters.outstanding:
        # Both scaled integers of the same scale: comparing the columns compares the amounts.
        found += [invoices.c.status.in_(OPEN_STATUSES), invoices.c.total > invoices.c.paid]
    return found


def _statuses(filters: InvoiceFilters) -> list[str]:
    """The statuses the filters allow when more than one (empty: any, or just one)."""
    allowed = list(dict.fromkeys(filters.statuses))
    if filters.outstanding:
        allowed = [s for s in allowed if s in OPEN_STATUSES] if allowed else list(OPEN_STATUSES)
    return allowed if len(allowed) > 1 else []


def _newest_issued(
    session: Session,
    filters: InvoiceFilters,
    conditions: list[ColumnElement[bool]],
    offset: int,
    limit: int,
) -> list[str]:
    """Ids of issued invoices ``offset`` to ``offset + limit`` in the list's order.

    Several statuses (``status=issued&status=partially_paid``, ``outstanding``) would make
    the database read every row of them and sort: each status is read on its own index, in
    order and only as far as the page, and the few rows merged here.
    """
    issued = [*conditions, invoices.c.issued_at.is_not(None)]
    wanted = offset + limit
    statuses = _statuses(filters)
    if not statuses:
        query = select(invoices.c.id).where(*issued).order_by(*NEWEST)
        words = _only_name(filters)
        if words:
            found = by_name(session, words, offset, limit)
            if found is not None:
                return found
            # Every word too common to lead: read in the list's order, a page comes soon.
            query = query.with_hint(invoices, ORDERED, dialect_name="mysql")
        return list(session.scalars(query.offset(offset).limit(limit)))
    runs = []
    for status in statuses:
        query = select(*KEY).where(*issued, invoices.c.status == status).order_by(*NEWEST)
        runs.append([tuple(row) for row in session.execute(query.limit(wanted))])
    merged = heapq.merge(*runs, reverse=True)
    return [row[2] for row in itertools.islice(merged, offset, wanted)]


def search(
    session: Session, filters: InvoiceFilters, offset: int, limit: int
) -> list[InvoiceRecord]:
    """A page of invoices without lines: drafts first, then the newest issued.

    The page is found by ids first, reading indexes only as far as it reaches, then its rows
    are read by primary key.
    """
    ids = _page(session, filters, offset, limit)
    if not ids:
        return []
    rows = {row.id: row for row in session.execute(select(invoices).where(invoices.c.id.in_(ids)))}
    return [record_of(rows[invoice_id]) for invoice_id in ids if invoice_id in rows]


def _page(session: Session, filters: InvoiceFilters, offset: int, limit: int) -> list[str]:
    """The ids of the page: the drafts the filters select, then the issued invoices."""
    digits = _only_digits(filters)
    if digits:
        found = by_suffix(session, digits, offset, limit)
        if found is not None:
            return found
    conditions = _conditions(session, filters)
    if _finds_no_draft(filters):
        return _newest_issued(session, filters, conditions, offset, limit)
    wanted = offset + limit
    draft = invoices.c.issued_at.is_(None)
    query = select(invoices.c.id).where(*conditions, draft).order_by(*NEWEST_DRAFTS)
    drafts = list(session.scalars(query.limit(wanted)))
    ids = drafts[offset:]
    if len(drafts) < wanted:  # every draft the filters select is in ``drafts``
        skip = max(0, offset - len(drafts))
        ids += _newest_issued(session, filters, conditions, skip, limit - len(ids))
    return ids
