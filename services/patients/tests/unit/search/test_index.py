"""The rows a patient contributes to the search index, and the name key's ordering."""

from __future__ import annotations

import random

from clinic_patients.search.index import IndexedName, prefixes, term_rows, trigram_rows


def test_the_name_key_holds_surnames_then_first_names() -> None:
    name = IndexedName.of("José", "García-Núñez")
    assert name.name_key == " garcia nunez ! jose "
    assert name.last_words == ["garcia", "nunez"]
    assert name.first_words == ["jose"]
    assert name.words == ("jose", "garcia", "nunez")


def test_repeated_words_are_indexed_once() -> None:
    assert IndexedName.of("Gonzalo", "González González").words == ("gonzalo", "gonzalez")


def test_name_keys_sort_like_surname_then_first_name() -> None:
    rng = random.Random(3)
    parts = ["garcia", "garciarena", "gar", "de", "la", "cruz", "ana", "jose", "a", "z9"]
    names = [
        (" ".join(rng.sample(parts, rng.randint(1, 3))), " ".join(rng.sample(parts, 2)))
        for _ in range(500)
    ]
    by_key = sorted(names, key=lambda n: IndexedName.of(n[1], n[0]).name_key)
    assert by_key == sorted(names)


def test_prefixes_mark_whole_words() -> None:
    assert prefixes(["ana", "anabel"]) == {
        "a": False,
        "an": False,
        "ana": True,
        "anab": False,
        "anabe": False,
        "anabel": True,
    }


def test_term_rows_are_one_per_prefix_in_primary_key_order() -> None:
    rows = term_rows("p-1", IndexedName.of("Ana", "Gil"), active=False)
    assert [(r["term"], r["whole_word"]) for r in rows] == [
        ("a", False),
        ("an", False),
        ("ana", True),
        ("g", False),
        ("gi", False),
        ("gil", True),
    ]
    assert {(r["name_key"], r["patient_id"], r["active"]) for r in rows} == {
        (" gil ! ana ", "p-1", False)
    }


def test_trigram_rows_are_distinct_and_sorted() -> None:
    rows = trigram_rows(["ana", "ana", "gil"])
    keys = [(r["trigram"], r["word_length"], r["word"]) for r in rows]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys)) == 8
