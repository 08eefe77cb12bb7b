"""Invoice search by the customer's name at a million invoices: the list's order, read from an
index as far as a page, or MariaDB's full-text index when the name is rare."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import invoices

# The list's order: drafts first (no issue moment), the newest first among each. An index on
# (issued_at, created_at) read backwards gives it without sorting: InnoDB ends every secondary
# index with the primary key, so ``id`` (descending) breaks the last ties for free, and a
# LIMIT stops the read after a page. Drafts and issued invoices are therefore asked apart.
NEWEST = (invoices.c.issued_at.desc(), invoices.c.created_at.desc(), invoices.c.id.desc())
NEWEST_DRAFTS = (invoices.c.created_at.desc(), invoices.c.id.desc())
KEY = (invoices.c.issued_at, invoices.c.created_at, invoices.c.id)


def begins_a_word(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    return or_(
        column.startswith(word, autoescape=True), column.contains(f" {word}", autoescape=True)
    )


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
ORDERED = "FORCE INDEX (ix_invoices_issued)"
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


def full_text(session: Session) -> int | None:
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


def by_name(
    session: Session, query: Select[Any], words: list[str], offset: int, limit: int
) -> list[str]:
    """A page of ``query`` (issued invoices by name, newest first), frequent or rare."""
    wanted = offset + limit
    # Forced, the index's order is the list's: the rows read first are the newest, so a page
    # filled before the cap is the right page (a sort would return whatever it had read).
    # From the first row on (ids only), so the matches before the page are counted too.
    newest = query.with_hint(invoices, ORDERED, dialect_name="mysql").limit(wanted)

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
        shortest = full_text(session) or _FT_MAX_TOKEN
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
                .with_hint(invoices, ORDERED, dialect_name="mysql")
                .where(invoices.c.issued_at.is_not(None))
                .order_by(*NEWEST)
                .limit(_SAMPLE_ROWS)
                .subquery()
            )
            column = sample.c.customer_search
            counts = session.execute(
                select(
                    func.count(),
                    *(
                        func.sum(case((begins_a_word(column, word), 1), else_=0))
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
