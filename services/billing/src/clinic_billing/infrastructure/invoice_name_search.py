"""Invoice search by the customer's name at a million invoices: a word index kept in the
list's order, so a page is read, not searched for.

No B-tree serves ``LIKE '% word%'``, and reading the invoices newest first until a page of a
name is found costs what the name is rare (a surname on one invoice in 3,000 means reading
75,000 for a page). So each issued invoice's folded name is indexed by word
(``invoice_name_words``: word, then the list's order, with the whole name beside it). A search
word is the beginning of a name word: its completions are read first (``garc`` → garcia,
garces, …; a loose scan of the index, a few dozen entries), then each completion's invoices
newest first, as far as a page, testing the search's other words on the name kept beside
them (no invoice read), and the runs merged. With several search words the one whose
completions are on the fewest invoices leads (counted up to ``_COUNT_CAP`` each). A search
word with more than ``_MOST_COMPLETIONS`` completions (one or two letters) is too common to
lead; when all are, the invoices are read in the list's order (``ORDERED``) and a common
name fills a page soon. Drafts are not indexed: their names still change, and they are few.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    String,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import invoice_name_words, invoices
from clinic_shared.write_batch import WriteBatch

# The list's order: drafts first (no issue moment), the newest first among each. An index on
# (issued_at, created_at) read backwards gives it without sorting: InnoDB ends every secondary
# index with the primary key, so ``id`` (descending) breaks the last ties for free, and a
# LIMIT stops the read after a page. Drafts and issued invoices are therefore asked apart.
NEWEST = (invoices.c.issued_at.desc(), invoices.c.created_at.desc(), invoices.c.id.desc())
NEWEST_DRAFTS = (invoices.c.created_at.desc(), invoices.c.id.desc())
KEY = (invoices.c.issued_at, invoices.c.created_at, invoices.c.id)
ORDERED = "FORCE INDEX (ix_invoices_issued)"

_words = invoice_name_words.c
_WORD_NEWEST = (_words.issued_at.desc(), _words.created_at.desc(), _words.invoice_id.desc())
_MOST_COMPLETIONS = 20
_COUNT_CAP = 5_000
_ESTIMATES = ("mysql", "mariadb")  # dialects whose EXPLAIN estimates a range's rows
_ESTIMATE = text("EXPLAIN SELECT 1 FROM invoice_name_words WHERE word IN :words").bindparams(
    bindparam("words", expanding=True)
)


def begins_a_word(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """``word`` begins the text in ``column`` or one of its words after a space."""
    return or_(
        column.startswith(word, autoescape=True), column.contains(f" {word}", autoescape=True)
    )


def name_words(customer_search: str) -> list[str]:
    """The words a folded name is found by: split where ``begins_a_word`` splits (spaces)."""
    return sorted(set(customer_search.split()))


# One word of an issued invoice, its list order copied from the invoice's row.
_INDEX_WORD = insert(invoice_name_words).from_select(
    ["word", "issued_at", "created_at", "invoice_id", "customer_search"],
    select(
        bindparam("word", type_=String),
        invoices.c.issued_at,
        invoices.c.created_at,
        invoices.c.id,
        invoices.c.customer_search,
    ).where(invoices.c.id == bindparam("invoice_id"), invoices.c.issued_at.is_not(None)),
)


def index_issued(writes: WriteBatch, invoice_id: UUID, customer_search: str) -> None:
    """Index the words of a just-issued invoice's name (its row already says issued).

    The list's order is copied from the invoice's row in the same statement, so the index
    orders exactly as the list does. A constant statement per word: it runs under the
    numbering locks, where compiling one afresh would cost more than the writes.
    """
    for word in name_words(customer_search):  # none: anonymous, not found by name
        writes.execute(_INDEX_WORD, {"word": word, "invoice_id": str(invoice_id)}, rows=1)


def by_name(session: Session, words: Sequence[str], offset: int, limit: int) -> list[str] | None:
    """Ids of the issued invoices ``offset`` to ``offset + limit`` whose name has a word
    beginning with each of ``words``, newest first; None when every word is too common to
    lead (the caller reads the list in its order)."""
    completions = {word: _completions(session, word) for word in dict.fromkeys(words)}
    if any(not found for found in completions.values()):
        return []
    leaders = [word for word, found in completions.items() if len(found) <= _MOST_COMPLETIONS]
    if not leaders:
        return None
    leader = leaders[0] if len(leaders) == 1 else _rarest(session, leaders, completions)
    others = [word for word in completions if word != leader]
    return _page(session, completions[leader], others, offset, limit)


def _completions(session: Session, word: str) -> list[str]:
    """The indexed words ``word`` begins, one more than ``_MOST_COMPLETIONS`` at most."""
    query = (
        select(_words.word)
        .where(_words.word.startswith(word, autoescape=True))
        .distinct()
        .limit(_MOST_COMPLETIONS + 1)
    )
    return list(session.scalars(query))


def _rarest(session: Session, words: list[str], completions: dict[str, list[str]]) -> str:
    """Of ``words``, the one whose completions are on the fewest invoices, the fewer
    completions on a tie."""
    sizes = _estimated_sizes if session.get_bind().dialect.name in _ESTIMATES else _counted_sizes
    by_size = sizes(session, words, completions)
    return min(words, key=lambda word: (by_size[word], len(completions[word])))


def _counted_sizes(
    session: Session, words: list[str], completions: dict[str, list[str]]
) -> dict[str, int]:
    """Each word's invoices counted on the index, up to ``_COUNT_CAP`` each (the embedded
    database: a small clinic's index, where counting is cheap)."""
    counts = []
    for word in words:
        capped = select(literal(1)).where(_words.word.in_(completions[word])).limit(_COUNT_CAP)
        counts.append(select(func.count()).select_from(capped.subquery()).scalar_subquery())
    found = session.execute(select(*counts)).one()
    return dict(zip(words, found, strict=True))


def _estimated_sizes(
    session: Session, words: list[str], completions: dict[str, list[str]]
) -> dict[str, int]:
    """Each word's invoices as MariaDB's optimizer estimates them (EXPLAIN's ``rows``: a few
    dives into the index, ~0.2 ms). Counting read up to 5,000 entries a word (~2 ms each) and
    still could not tell apart the common names (a first name and a surname each on more than
    5,000 invoices of a million); an estimate within a factor of two can."""
    sizes = {}
    for word in words:
        plan = session.execute(_ESTIMATE, {"words": completions[word]}).mappings().first()
        sizes[word] = int(plan["rows"] or 0) if plan else 0
    return sizes


def _page(
    session: Session, completions: list[str], others: list[str], offset: int, limit: int
) -> list[str]:
    """The page merged from each completion's invoices, newest first, as far as the page."""
    wanted = offset + limit
    also = [begins_a_word(_words.customer_search, word) for word in others]
    runs = [
        select(_words.invoice_id, _words.issued_at, _words.created_at)
        .where(_words.word == completion, *also)
        .order_by(*_WORD_NEWEST)
        .limit(wanted)
        .subquery()
        for completion in completions
    ]
    # UNION, not UNION ALL: a name with two words a search word begins ("ferrer fernandez"
    # for "fer") is in two runs and must count once.
    merged = union(*(select(run) for run in runs)).subquery() if len(runs) > 1 else runs[0]
    query = (
        select(merged.c.invoice_id)
        .order_by(merged.c.issued_at.desc(), merged.c.created_at.desc(), merged.c.invoice_id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query))
