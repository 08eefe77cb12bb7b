"""Keeping the name search index in step with the patients, on every write and on rebuild.

For each patient the index holds every distinct prefix of every folded name word, flagged
when it is a whole word, with the patient's sort keys (see ``models.search_terms``); the
words also go into the trigram vocabulary used by fuzzy search. The rows are a pure function
of (id, names, status), so a write replaces them inside the patient's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.orm import Session

from clinic_patients import normalize
from clinic_patients.models import Patient, name_trigrams, search_terms
from clinic_patients.search.fuzzy import trigrams

Row = dict[str, Any]
Executor = Session | Connection


SURNAMES_END = "!"


@dataclass(frozen=True)
class IndexedName:
    """A patient's folded names as one key: ``" garcia nunez ! jose "``.

    Compared byte by byte, keys sort exactly like (surnames, first names): words hold only
    letters and digits, all above '!', which ends the surnames. Every word sits between
    spaces, so ``LIKE '% jose %'`` tests a whole word and ``LIKE '% jo%'`` a prefix.
    """

    name_key: str

    @classmethod
    def of(cls, first_name: str, last_name: str) -> IndexedName:
        """Fold the names (words that would overflow their part of the key are left out)."""
        surnames = " ".join(normalize.words_within(last_name, normalize.LAST_WORDS_LENGTH))
        first = " ".join(normalize.words_within(first_name, normalize.FIRST_WORDS_LENGTH))
        return cls(f" {surnames} {SURNAMES_END} {first} ")

    @property
    def last_words(self) -> list[str]:
        """The folded surnames."""
        return self.name_key.split(f" {SURNAMES_END} ")[0].split()

    @property
    def first_words(self) -> list[str]:
        """The folded first names."""
        return self.name_key.split(f" {SURNAMES_END} ")[1].split()

    @property
    def words(self) -> tuple[str, ...]:
        """Every distinct word of the names, the ones the index holds."""
        return tuple(dict.fromkeys(self.first_words + self.last_words))


def prefixes(words: Iterable[str]) -> dict[str, bool]:
    """Every prefix of ``words`` mapped to whether it is itself one of the words."""
    found: dict[str, bool] = {}
    for word in words:
        for end in range(1, len(word) + 1):
            prefix = word[:end]
            found[prefix] = found.get(prefix, False) or end == len(word)
    return found


def term_rows(patient_id: str, name: IndexedName, active: bool) -> list[Row]:
    """The ``patient_search_terms`` rows of one patient, in primary-key order."""
    return [
        {
            "term": term,
            "whole_word": whole,
            "name_key": name.name_key,
            "patient_id": patient_id,
            "active": active,
        }
        for term, whole in sorted(prefixes(name.words).items())
    ]


def trigram_rows(words: Iterable[str]) -> list[Row]:
    """The ``patient_name_trigrams`` rows of ``words``, sorted (a fixed lock order)."""
    keys = {(gram, len(word), word) for word in set(words) for gram in trigrams(word)}
    return [{"trigram": g, "word_length": n, "word": w} for g, n, w in sorted(keys)]


def add_to_index(db: Executor, patient_id: str, name: IndexedName, active: bool) -> None:
    """Index one patient (inside the caller's transaction)."""
    db.execute(insert(search_terms), term_rows(patient_id, name, active))
    add_words(db, name.words)


def remove_from_index(db: Executor, patient_id: str, name: IndexedName) -> None:
    """Delete the rows ``add_to_index`` wrote for this name (found by primary key)."""
    db.execute(
        delete(search_terms).where(
            search_terms.c.term.in_(sorted(prefixes(name.words))),
            search_terms.c.whole_word.in_([False, True]),
            search_terms.c.name_key == name.name_key,
            search_terms.c.patient_id == patient_id,
        )
    )


def reindex(
    db: Executor,
    patient_id: str,
    before: tuple[IndexedName, bool],
    after: tuple[IndexedName, bool],
) -> None:
    """Replace a patient's rows when their names or status changed."""
    if before == after:
        return
    (old_name, _), (new_name, active) = before, after
    if old_name == new_name:
        db.execute(
            update(search_terms)
            .where(
                search_terms.c.term.in_(sorted(prefixes(old_name.words))),
                search_terms.c.whole_word.in_([False, True]),
                search_terms.c.name_key == old_name.name_key,
                search_terms.c.patient_id == patient_id,
            )
            .values(active=active)
        )
        return
    remove_from_index(db, patient_id, old_name)
    add_to_index(db, patient_id, new_name, active)


def add_words(db: Executor, words: Iterable[str]) -> None:
    """Add words to the trigram vocabulary; ones already there are left alone."""
    rows = trigram_rows(words)
    if rows:
        statement = (
            insert(name_trigrams)
            .prefix_with("IGNORE", dialect="mysql")
            .prefix_with("IGNORE", dialect="mariadb")
            .prefix_with("OR IGNORE", dialect="sqlite")
        )
        db.execute(statement, rows)


def rebuild(engine: Engine, batch_size: int = 1000) -> int:
    """Recompute every patient's derived name columns and index rows; returns the patients done.

    For maintenance (after a normalisation change, or to prune the vocabulary): searches
    see a partial index until it finishes.
    """
    with engine.begin() as conn:
        for table in (search_terms, name_trigrams):
            if conn.dialect.name in {"mysql", "mariadb"}:
                # Deleting millions of rows one by one takes minutes; TRUNCATE recreates.
                conn.execute(text(f"TRUNCATE TABLE {table.name}"))
            else:
                conn.execute(delete(table))
    known_words: set[str] = set()
    done = 0
    for batch in _patient_batches(engine, batch_size):
        with engine.begin() as conn:
            rows: list[Row] = []
            for patient_id, first_name, last_name, status, stored_key in batch:
                name = IndexedName.of(first_name, last_name)
                if name.name_key != stored_key:
                    conn.execute(
                        update(Patient)
                        .where(Patient.id == patient_id)
                        .values(name_key=name.name_key)
                    )
                rows.extend(term_rows(patient_id, name, status == "active"))
                new_words = [word for word in name.words if word not in known_words]
                known_words.update(new_words)
                add_words(conn, new_words)
            conn.execute(insert(search_terms), sorted(rows, key=_primary_key))
        done += len(batch)
    return done


def _patient_batches(engine: Engine, batch_size: int) -> Iterator[list[Any]]:
    last_id = ""
    columns = (Patient.id, Patient.first_name, Patient.last_name, Patient.status)
    while True:
        with engine.connect() as conn:
            batch = list(
                conn.execute(
                    select(*columns, Patient.name_key)
                    .where(Patient.id > last_id)
                    .order_by(Patient.id)
                    .limit(batch_size)
                )
            )
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


def _primary_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["term"], row["whole_word"], row["name_key"], row["patient_id"])
