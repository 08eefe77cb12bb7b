"""Invoice search by a number's last digits (``1234`` for F2026001234) at a million invoices.

``LIKE '%1234'`` can use no index: read in the list's order, a page of a suffix found on one
invoice in a thousand means reading ~20,000 rows (80 ms at a million). But a number is its
series, year and six-digit sequence, written together at issue, so trailing digits name the
sequences they can be: ``1234`` is 1234, 11234, 21234… in each series and year. Those keys are
looked up on the unique (series, year, sequence) index instead.

A page needs only the newest of them. Within a series, moments follow numbers: the counter
hands out both together, and a later number is stamped after the one before even when the
clock was set back (``issuing``, since migration 0003). So the newest ``offset + limit`` keys
of each series hold the page, and the keys of a year, thousands for one or two digits, are
not all read (a page of ``308`` is 5 ms at a million invoices, against 80 ms read in the
list's order). ``by_suffix`` reads one key more per series and checks what it read (every
key an invoice, the series' oldest read issued before the page's last row); when that does
not hold (a number missing, moments tied) it leaves the search to the full list of keys.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select, tuple_
from sqlalchemy.orm import Session

from clinic_billing.domain.numbering import SEQUENCE_DIGITS
from clinic_billing.infrastructure.invoice_name_search import KEY, NEWEST
from clinic_billing.infrastructure.tables import invoices

_NUMBER_DIGITS = 4 + SEQUENCE_DIGITS  # a number's digits: the year's and the sequence's
_MAX_KEYS = 1000  # number keys looked up one by one before reading in the list's order wins

Key = tuple[str, int, int]  # series, year, sequence
Top = tuple[str, int, int]  # series, year, the highest sequence issued in that year


def highest_sequences(session: Session) -> list[Top]:
    """Each series' and year's highest sequence: one dive each on the unique index."""
    query = (
        select(invoices.c.series, invoices.c.year, func.max(invoices.c.sequence))
        .where(invoices.c.sequence.is_not(None))
        .group_by(invoices.c.series, invoices.c.year)
    )
    return [(series, year, highest) for series, year, highest in session.execute(query)]


def keys_of_year(top: Top, digits: str) -> Iterator[Key]:
    """The keys of one series' year whose number ends in ``digits``, newest first (lazily: a
    single digit has thousands).

    Up to six digits fix the sequence modulo a power of ten; more fix the sequence and the
    year's last digits too (one key at most). Sequences start at 1.
    """
    series, year, highest = top
    if len(digits) <= SEQUENCE_DIGITS:
        step = 10 ** len(digits)
        first = int(digits) or step
        if highest >= first:
            last = first + (highest - first) // step * step
            yield from ((series, year, sequence) for sequence in range(last, first - 1, -step))
    elif len(digits) <= _NUMBER_DIGITS:
        sequence = int(digits[-SEQUENCE_DIGITS:])
        if f"{year:04d}".endswith(digits[:-SEQUENCE_DIGITS]) and 1 <= sequence <= highest:
            yield (series, year, sequence)


def newest_keys(tops: Iterable[Top], digits: str, most: int) -> tuple[list[Key], set[str]]:
    """The newest ``most`` keys of each series whose number ends in ``digits`` (newest first
    within a series), and the series that have more."""
    kept: dict[str, list[Key]] = {}
    cut: set[str] = set()
    for top in sorted(tops, key=lambda top: (top[0], -top[1])):  # each series' newest year first
        series_keys = kept.setdefault(top[0], [])
        for key in keys_of_year(top, digits):
            if len(series_keys) == most:
                cut.add(top[0])
                break
            series_keys.append(key)
    return [key for series_keys in kept.values() for key in series_keys], cut


def ending_in(session: Session, digits: str) -> list[ColumnElement[bool]]:
    """Conditions for the numbers ending in ``digits`` that other filters can join: ``LIKE``,
    plus every key it can be when there are at most ``_MAX_KEYS`` (else the list's order,
    read with the ``LIKE`` alone, finds a page of such common digits soon)."""
    condition = invoices.c.number.endswith(digits)
    if len(digits) > _NUMBER_DIGITS:
        return [condition]
    keys: list[Key] = []
    for top in highest_sequences(session):
        keys.extend(itertools.islice(keys_of_year(top, digits), _MAX_KEYS + 1 - len(keys)))
        if len(keys) > _MAX_KEYS:
            return [condition]
    if not keys:
        return [invoices.c.id.is_(None)]  # no number can end so: nothing found
    return [condition, _key().in_(keys)]


def by_suffix(session: Session, digits: str, offset: int, limit: int) -> list[str] | None:
    """Ids of the issued invoices ``offset`` to ``offset + limit`` whose number ends in
    ``digits``, newest first; None when the newest keys of each series were not shown to hold
    the page (the caller then searches with every key)."""
    if len(digits) > _NUMBER_DIGITS:
        return []
    wanted = offset + limit
    # A key more than the page in each series: the one issued before its last on the page.
    keys, cut = newest_keys(highest_sequences(session), digits, wanted + 1)
    if not keys:
        return []
    query = (
        select(*KEY, invoices.c.series)
        .where(_key().in_(keys), invoices.c.number.endswith(digits))
        .where(invoices.c.issued_at.is_not(None))
        .order_by(*NEWEST)
    )
    rows = session.execute(query).all()
    if cut and not holds_the_page(rows, keys, cut, wanted):
        return None
    return [row.id for row in rows[offset:wanted]]


def holds_the_page(
    rows: Sequence[Row[Any, Any, Any, Any]], keys: list[Key], cut: set[str], wanted: int
) -> bool:
    """Whether the older keys of the series cut short cannot reach the page: each of their
    keys read was an invoice, and the oldest read was issued before the page's last row
    (every older one was issued before it). Fails only if numbers are missing or moments tie."""
    if len(rows) < wanted:
        return False
    last_on_page = rows[wanted - 1].issued_at
    for series in cut:
        read = [row.issued_at for row in rows if row.series == series]
        if len(read) < sum(1 for key in keys if key[0] == series):
            return False
        if min(read) >= last_on_page:
            return False
    return True


def _key() -> ColumnElement[tuple[str, int, int]]:
    return tuple_(invoices.c.series, invoices.c.year, invoices.c.sequence)
