"""Edit distance, trigrams and the cheap bounds that filter fuzzy candidates."""

from __future__ import annotations

import random

import pytest

from clinic_patients.search.fuzzy import (
    could_be_within,
    edit_distance,
    letter_counts,
    letters_apart,
    max_edits,
    min_shared_trigrams,
    trigrams,
)


def _reference(a: str, b: str) -> int:
    """Plain full-table optimal string alignment, to check the banded version against."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            substitution = d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, substitution)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("garsia", "garcia", 1),
        ("martines", "martinez", 1),
        ("gonzalze", "gonzalez", 1),  # a transposition is one edit
        ("rodrigez", "rodriguez", 1),
        ("gonsales", "gonzalez", 2),
        ("martin", "martinez", 2),
        ("ana", "ana", 0),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance


def test_edit_distance_stops_above_the_limit() -> None:
    assert edit_distance("garcia", "lopez", 2) == 3
    assert edit_distance("ab", "abcdef", 1) == 2


def test_banded_distance_equals_the_full_table_and_bounds_hold() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("abcz") for _ in range(rng.randint(0, 8)))
        b = "".join(rng.choice("abcz") for _ in range(rng.randint(0, 8)))
        exact = _reference(a, b)
        for limit in (0, 1, 2):
            assert edit_distance(a, b, limit) == min(exact, limit + 1)
            if exact <= limit and a:
                # The filters may let wrong candidates through, never drop right ones.
                assert letters_apart(a, letter_counts(a), b) <= exact
                assert could_be_within(len(trigrams(a) & trigrams(b)), a, b, limit)


def test_tolerated_edits_grow_with_the_word() -> None:
    assert [max_edits(w) for w in ("ana", "pepe", "garsia", "rodrigez")] == [0, 1, 1, 2]


def test_trigrams_are_padded() -> None:
    assert trigrams("ana") == {"  a", " an", "ana", "na "}
    assert min_shared_trigrams("garsia", 1) == 3
    assert min_shared_trigrams("ana", 2) == 1
