"""The read side's SQL: invoice lists and search, references between invoices, numbers, figures."""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import SEQUENCE_DIGITS, Gap, InvoiceNumber, Series
from clinic_billing.infrastructure.columns import Money
from clinic_billing.infrastructure.invoices import InvoiceRecord, lines_of, record_of
from clinic_billing.infrastructure.tables import invoices
from clinic_shared.text import fold

_FULL_NUMBER = re.compile(r"^[FSR]\d{10}$")
_NUMBER_PREFIX = re.compile(r"^[FSR]\d+$")
_DIGITS = re.compile(r"^\d+$")
_WORD = re.compile(r"\w+")
OPEN_STATUSES = ("issued", "partially_paid")
_DAY = timedelta(days=1)
_NUMBER_DIGITS = 4 + SEQUENCE_DIGITS  # a number's digits: the year's and the sequence's
_MAX_KEYS = 1000  # number keys looked up one by one before reading in the list's order wins


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


def _number_suffix(session: Session, digits: str) -> list[ColumnElement[bool]]:
    """The numbers ending in ``digits``: ``LIKE '%digits'``, which no index can serve, plus the
    (series, year, sequence) keys it can be, when they are few.

    A number is its series, four-digit year and six-digit sequence (``str(InvoiceNumber)``,
    written with its year and sequence at issue), so trailing digits fix the sequence modulo a
    power of ten (and, past six digits, the sequence and the year's last digits). Each series'
    and year's highest sequence (one index dive each, on the unique index) bounds the keys;
    up to ``_MAX_KEYS`` of them are looked up on that index instead of reading every row.
    """
    condition = invoices.c.number.endswith(digits)
    if len(digits) > _NUMBER_DIGITS:
        return [condition]
    top = (
        select(invoices.c.series, invoices.c.year, func.max(invoices.c.sequence))
        .where(invoices.c.sequence.is_not(None))
        .group_by(invoices.c.series, invoices.c.year)
    )
    keys: list[tuple[str, int, int]] = []
    for series, year, highest in session.execute(top):
        if len(digits) <= SEQUENCE_DIGITS:
            step = 10 ** len(digits)
            first = int(digits) or step  # sequences start at 1
            sequences: Sequence[int] = range(first, highest + 1, step)
        else:
            sequence = int(digits[-SEQUENCE_DIGITS:])
            year_digits = digits[: len(digits) - SEQUENCE_DIGITS]
            fits = f"{year:04d}".endswith(year_digits) and 1 <= sequence <= highest
            sequences = [sequence] if fits else []
        keys.extend((series, year, sequence) for sequence in sequences)
        if len(keys) > _MAX_KEYS:
            return [condition]  # matches are dense: the list's order finds a page soon
    if not keys:
        return [invoices.c.id.is_(None)]  # no number can end so: nothing found
    key = tuple_(invoices.c.series, invoices.c.year, invoices.c.sequence)
    return [condition, key.in_(keys)]


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
        return _number_suffix(session, text)
    words = _WORD.findall(fold(q))
    if not words:
        return [invoices.c.id.is_(None)]  # nothing searchable: nothing found
    return _name_words(words)


def _name_words(words: Sequence[str]) -> list[ColumnElement[bool]]:
    """Every word must begin one of the name's words (folded: accent- and case-insensitive)."""
    return [_begins_a_word(invoices.c.customer_search, word) for word in words]


def _begins_a_word(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    return or_(
        column.startswith(word, autoescape=True), column.contains(f" {word}", autoescape=True)
    )


def _only_name(filters: InvoiceFilters) -> list[str]:
    """The words of a search by name alone (no number, no other filter); else none."""
    text = (filters.q or "").strip().upper()
    if not text or _NUMBER_PREFIX.match(text) or _DIGITS.match(text):
        return []
    others = (filters.statuses, filters.series, filters.customer_id, filters.patient_id,
              filters.issued_from, filters.issued_to, filters.outstanding)  # fmt: skip
    return [] if any(others) else _WORD.findall(fold(filters.q or ""))


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


# The list's order: drafts first (no issue moment), the newest first among each. An index on
# (issued_at, created_at) read backwards gives it without sorting: InnoDB ends every secondary
# index with the primary key, so ``id`` (descending) breaks the last ties for free, and a
# LIMIT stops the read after a page. Drafts and issued invoices are therefore asked apart.
_NEWEST = (invoices.c.issued_at.desc(), invoices.c.created_at.desc(), invoices.c.id.desc())
_NEWEST_DRAFTS = (invoices.c.created_at.desc(), invoices.c.id.desc())
_KEY = (invoices.c.issued_at, invoices.c.created_at, invoices.c.id)


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
        query = select(invoices.c.id).where(*issued).order_by(*_NEWEST)
        words = _only_name(filters)
        if words and _full_text(session):
            return _by_name(session, query, words, offset, limit)
        return list(session.scalars(query.offset(offset).limit(limit)))
    runs = []
    for status in statuses:
        query = select(*_KEY).where(*issued, invoices.c.status == status).order_by(*_NEWEST)
        runs.append([tuple(row) for row in session.execute(query.limit(wanted))])
    merged = heapq.merge(*runs, reverse=True)
    return [row[2] for row in itertools.islice(merged, offset, wanted)]


# A name search reads the newest invoices in the list's order on ix_invoices_issued, which
# holds the folded name too (no row is read to test it: about 0.4 µs an invoice), and stops
# after a page: quick when the name is frequent, as most searched surnames are (García is on
# one invoice in fifteen), ruinous when it is rare (the whole index would be read). So that
# read stops after _SCAN_ROWS invoices (4 ms), and what it found tells how frequent the name
# is. Then the cheaper way is taken (see _NamePlan): reading on in the list's order as far as
# a page is likely to be, or asking the full-text index on the folded name for the name's
# invoices, which are then sorted. The full-text index only narrows: the LIKE conditions
# still decide what matches.
_SCAN_ROWS = 10_000
_SAMPLE_ROWS = 5_000  # the newest invoices each word of a rare name is counted among
_FEW = 4  # matches among _SCAN_ROWS that tell a share worth reading on for
# Full-text costs relative to reading one invoice of the list's index: reading through one
# invoice of a word's list, and reading and testing one invoice it finds (measured on
# MariaDB 10.11: 0.4 µs, about 0.5 µs and 8 µs).
_FT_LIST_COST = 1.2
_FT_ROW_COST = 20.0
_ORDERED = "FORCE INDEX (ix_invoices_issued)"
# What InnoDB leaves out of a full-text index with the default settings: tokens shorter than
# innodb_ft_min_token_size (read from the server), longer than 84 characters, and its default
# stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). A name word a search word begins
# must be in the index, so a search word that begins a stopword is left to the LIKE alone.
_FT_STOPWORDS = frozenset(
    {"a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how",
     "i", "in", "is", "it", "la", "of", "on", "or", "that", "the", "this", "to", "was", "what",
     "when", "where", "who", "will", "with", "und", "www"}
)  # fmt: skip
_FT_MAX_TOKEN = 84
_FT_WORD = re.compile(r"^[a-z0-9]+$")


def _full_text(session: Session) -> int | None:
    """The server's shortest indexed token when its full-text index can be used (MariaDB or
    MySQL with the default stopword settings), else None."""
    bind = session.get_bind()
    if bind.dialect.name != "mysql":
        return None
    key = str(bind.engine.url)
    if key not in _FT_SETTINGS:
        row = session.execute(
            text(
                "SELECT @@innodb_ft_min_token_size, @@innodb_ft_server_stopword_table, "
                "@@innodb_ft_user_stopword_table"
            )
        ).one()
        default_stopwords = not row[1] and not row[2]
        _FT_SETTINGS[key] = int(row[0]) if default_stopwords else None
    return _FT_SETTINGS[key]


_FT_SETTINGS: dict[str, int | None] = {}


def _by_name(
    session: Session, query: Select[Any], words: list[str], offset: int, limit: int
) -> list[str]:
    """A page of ``query`` (issued invoices by name, newest first), frequent or rare."""
    wanted = offset + limit
    # Forced, the index's order is the list's: the rows read first are the newest, so a page
    # filled before the cap is the right page (a sort would return whatever it had read).
    # From the first row on (ids only), so the matches before the page are counted too.
    newest = query.with_hint(invoices, _ORDERED, dialect_name="mysql").limit(wanted)

    def read(cap: float) -> list[str]:
        capped = newest.suffix_with(f"ROWS EXAMINED {int(cap)}", dialect="mysql")
        return list(session.scalars(capped))

    found = read(_SCAN_ROWS)
    if len(found) == wanted:
        return found[offset:]
    # Fewer than a page among the newest _SCAN_ROWS: the name is on that share of invoices
    # (too few found say little but that it is rare).
    share = len(found) / _SCAN_ROWS
    plan = _NamePlan.of(session, words, share)
    if len(found) >= _FEW:
        scan = min(wanted / share, plan.invoices)
        if scan <= plan.full_text_cost:
            found = read(1.5 * scan + _SCAN_ROWS)
            if len(found) == wanted:
                return found[offset:]
    if plan.terms:  # rarer still, or the full-text index is cheaper
        query = query.where(invoices.c.customer_search.match(plan.terms))
    return list(session.scalars(query.offset(offset).limit(limit)))


@dataclass(frozen=True)
class _NamePlan:
    """The full-text query for a rare name, its cost in reads of the list's index, and how
    many invoices there are.

    The full-text index can narrow by each word it holds every completion of, at a cost: it
    reads through the list of invoices of each word it is given, and reads and tests each
    invoice the words have in common. A first name such as María is on one invoice in eight:
    given alone it would cost far more than the scan. The words given are therefore those that
    make ``_FT_LIST_COST × Σ shares + _FT_ROW_COST × Π shares`` least, with each word's share
    counted among the newest _SAMPLE_ROWS invoices (taken as independent; a word never seen
    counts as half an invoice), and the invoices found as many as the name's own share says
    when that is more.
    """

    terms: str
    full_text_cost: float
    invoices: int

    @classmethod
    def of(cls, session: Session, words: list[str], share: float) -> _NamePlan:
        """The plan for ``words``, whose share of the newest invoices is ``share``."""
        shortest = _full_text(session) or _FT_MAX_TOKEN
        indexed = [
            word
            for word in dict.fromkeys(words)
            if _FT_WORD.match(word)
            and shortest <= len(word) <= _FT_MAX_TOKEN
            and not any(stopword.startswith(word) for stopword in _FT_STOPWORDS)
        ]
        invoices_count = int(
            session.scalar(
                text(
                    "SELECT table_rows FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() AND table_name = 'invoices'"
                )
            )
            or 0
        )
        shares = dict.fromkeys(indexed, share or 0.5 / _SCAN_ROWS)
        if len(indexed) > 1:
            sample = (
                select(invoices.c.customer_search)
                .with_hint(invoices, _ORDERED, dialect_name="mysql")
                .where(invoices.c.issued_at.is_not(None))
                .order_by(*_NEWEST)
                .limit(_SAMPLE_ROWS)
                .subquery()
            )
            column = sample.c.customer_search
            counts = session.execute(
                select(
                    func.count(),
                    *(
                        func.sum(case((_begins_a_word(column, word), 1), else_=0))
                        for word in indexed
                    ),
                )
            ).one()
            seen = max(int(counts[0] or 0), 1)
            shares = {
                word: max(int(n or 0), 0.5) / seen
                for word, n in zip(indexed, counts[1:], strict=True)
            }

        def cost(chosen: tuple[str, ...]) -> float:
            found = max(math.prod(shares[word] for word in chosen), share)
            return _FT_LIST_COST * sum(shares[word] for word in chosen) + _FT_ROW_COST * found

        subsets = [
            chosen for size in range(1, len(indexed) + 1)
            for chosen in itertools.combinations(indexed, size)
        ]  # fmt: skip
        best = min(subsets, key=cost) if subsets else ()
        return cls(
            terms=" ".join(f"+{word}*" for word in best),
            full_text_cost=cost(best) * invoices_count if best else float("inf"),
            invoices=max(invoices_count, _SCAN_ROWS),
        )


def search(
    session: Session, filters: InvoiceFilters, offset: int, limit: int
) -> list[InvoiceRecord]:
    """A page of invoices without lines: drafts first, then the newest issued.

    The page is found by ids first, reading indexes only as far as it reaches, then its rows
    are read by primary key.
    """
    conditions = _conditions(session, filters)
    wanted = offset + limit
    draft = invoices.c.issued_at.is_(None)
    query = select(invoices.c.id).where(*conditions, draft).order_by(*_NEWEST_DRAFTS)
    drafts = list(session.scalars(query.limit(wanted)))
    ids = drafts[offset:]
    if len(drafts) < wanted:  # every draft the filters select is in ``drafts``
        skip = max(0, offset - len(drafts))
        ids += _newest_issued(session, filters, conditions, skip, limit - len(ids))
    if not ids:
        return []
    rows = {row.id: row for row in session.execute(select(invoices).where(invoices.c.id.in_(ids)))}
    return [record_of(rows[invoice_id]) for invoice_id in ids if invoice_id in rows]


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
