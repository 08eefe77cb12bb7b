"""Running a search against the index, reading as little as a page needs.

Each way of matching (a ``Combo``: one ``Spec`` per word) is read from the index already in
name order: one posting (the rows of one term), whose rows carry the patient's name key, so
the query's other words are tested on the same row. A page is therefore a few short ordered
index ranges: the cost follows the page size, not how many patients are called García.

Two cases read more. When some query word is rare (at most ``SCORED_CAP`` index rows), all
its rows are scored in one statement instead (bounded work, one round trip). When every word
is common but they match in too many ways to stream (``MAX_COMBOS``), the rarest word drives
the scored statement: the slow path, proportional to that word's patients.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from clinic_patients.search import sql
from clinic_patients.search.fuzzy import max_edits, min_shared_trigrams, trigrams
from clinic_patients.search.plan import (
    Combo,
    IdentifierQuery,
    NameQuery,
    Spec,
    combo_cost,
    combo_count,
    combos,
    exact_specs,
    parse,
    typo_specs,
)
from clinic_shared.errors import FieldError

SCORED_CAP = 1000
MAX_COMBOS = 64
# Like search engines, no paging past the first results: each page reads all rows before it.
MAX_RESULT_WINDOW = 10_000
Row = Any  # (patient_id, name_key, rank or cost)


def search_patient_ids(
    conn: Connection, text: str, *, fuzzy: bool, status: str | None, offset: int, limit: int
) -> list[str]:
    """Ids of the patients matching ``text``, best first, rows ``offset`` to ``offset+limit``."""
    query = parse(text)
    want = offset + limit
    if want > MAX_RESULT_WINDOW + 1:
        raise FieldError("page", f"searches show at most the first {MAX_RESULT_WINDOW} results")
    if query is None:
        return []
    if isinstance(query, IdentifierQuery):
        rows = _identifier_matches(conn, query, status, want)
    else:
        active = None if status is None else status == "active"
        rows = _name_matches(conn, _word_specs(conn, query, fuzzy), active, want)
    return [row[0] for row in rows[offset:want]]


def _word_specs(conn: Connection, query: NameQuery, fuzzy: bool) -> list[list[Spec]]:
    words = [exact_specs(word) for word in query.words]
    if fuzzy:
        for specs, word in zip(words, query.words, strict=True):
            specs.extend(typo_specs(word, _vocabulary_near(conn, word)))
    return words


def _vocabulary_near(conn: Connection, word: str) -> list[tuple[str, int]]:
    """Name words sharing enough trigrams with ``word`` to be within its tolerated edits."""
    edits = max_edits(word)
    if not edits:
        return []
    params = {
        "grams": sorted(trigrams(word)),
        "shortest": len(word) - edits,
        "longest": len(word) + edits,
        "need": min_shared_trigrams(word, edits),
    }
    return [(row.word, int(row.shared)) for row in conn.execute(sql.vocabulary(), params)]


def _name_matches(
    conn: Connection, words: list[list[Spec]], active: bool | None, want: int
) -> list[Row]:
    if len(words) == 1:
        return _read_ranks(conn, combos(words), None, active, want, all_at_once=True)
    counts = _posting_counts(conn, words, active)
    words = [[spec for spec in specs if counts[spec]] for specs in words]
    if not all(words):
        return []
    totals = [sum(counts[spec] for spec in specs) for specs in words]
    driver = totals.index(min(totals))
    if totals[driver] <= SCORED_CAP or combo_count(words) > MAX_COMBOS:
        statement = sql.scored(
            len(words[driver]), tuple(len(specs) for specs in words), active is not None
        )
        params = sql.scored_params(words, driver, active, want)
        return list(conn.execute(statement, params))
    return _read_ranks(conn, combos(words), counts, active, want, all_at_once=False)


def _read_ranks(
    conn: Connection,
    ranked: list[Combo],
    counts: dict[Spec, int] | None,
    active: bool | None,
    want: int,
    *,
    all_at_once: bool,
) -> list[Row]:
    """The first ``want`` patients by rank (their cheapest combo), then name.

    Each combo is read up to ``want`` rows, and a patient seen under several combos keeps
    the cheapest. That is exact: whoever precedes a patient in their cheapest combo also
    precedes them in the answer, so a patient of the first ``want`` is always among the
    first ``want`` rows of their cheapest combo. One-word queries read every rank at once
    (each read is short); longer ones rank by rank, as a sparse combination of common words
    can take a while to read and is often not needed.
    """
    ranks = list(enumerate(list(group) for _, group in itertools.groupby(ranked, combo_cost)))
    batches = [ranks] if all_at_once else [[rank] for rank in ranks]
    best: dict[str, Row] = {}
    for batch in batches:
        # Read the smallest posting; test the other words on each row's name key.
        streams = [
            (rank, combo, min(range(len(combo)), key=lambda i: counts[combo[i]]) if counts else 0)
            for rank, combo_group in batch
            for combo in combo_group
        ]
        statement = sql.combo_union(
            tuple(len(combo) - 1 for _, combo, _ in streams), active is not None
        )
        params = sql.combo_union_params(streams, active, want)
        for row in sorted(conn.execute(statement, params), key=lambda row: row[2]):
            best.setdefault(row[0], row)
        if len(best) >= want:
            break
    return sorted(best.values(), key=lambda row: (row[2], row[1], row[0]))[:want]


def _posting_counts(
    conn: Connection, words: Sequence[Sequence[Spec]], active: bool | None
) -> dict[Spec, int]:
    """Index rows per spec, counted only up to ``SCORED_CAP + 1`` (enough to choose a plan)."""
    specs = sorted({spec for word in words for spec in word})
    statement = sql.posting_counts(len(specs), active is not None)
    values = conn.execute(statement, sql.posting_counts_params(specs, SCORED_CAP + 1, active)).one()
    return dict(zip(specs, (int(value) for value in values), strict=True))


def _identifier_matches(
    conn: Connection, query: IdentifierQuery, status: str | None, want: int
) -> list[Row]:
    params: dict[str, Any] = {"limit": want, "status": status}
    for name, prefix in (("tax_id", query.tax_id), ("phone", query.phone)):
        if prefix:
            params |= sql.prefix_range(name, prefix)
    if query.email:
        params |= sql.prefix_range("email", query.email)
    statement = sql.identifiers(
        bool(query.tax_id), bool(query.phone), bool(query.email), status is not None
    )
    return list(conn.execute(statement, params))
