"""What the search text asks for, the ways words match, and how they rank (no database)."""

from __future__ import annotations

import pytest

from clinic_patients.search.plan import (
    COST_PER_EDIT,
    COST_PREFIX,
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


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("garcia", ("garcia",)),
        ("  GARCÍA  ", ("garcia",)),
        ("Núñez, José", ("nunez", "jose")),
        ("jose JOSÉ garcía", ("jose", "garcia")),
    ],
)
def test_text_without_digits_is_a_name_query(text: str, words: tuple[str, ...]) -> None:
    assert parse(text) == NameQuery(words)


@pytest.mark.parametrize("text", ["", "   ", "¡¿?!", "- -"])
def test_text_without_words_asks_for_nothing(text: str) -> None:
    assert parse(text) is None


def test_more_than_eight_words_is_a_422_naming_search() -> None:
    with pytest.raises(FieldError) as error:
        parse("a b c d e f g h i")
    assert error.value.status == 422
    assert error.value.errors == [{"field": "search", "message": "can hold at most 8 words"}]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("12345678", IdentifierQuery("12345678", "12345678", "12345678")),
        ("12.345.678-z", IdentifierQuery("12345678Z", None, "12.345.678-z")),
        ("+34 612 345", IdentifierQuery(None, "612345", None)),
        ("jose.garcia@", IdentifierQuery(None, None, "jose.garcia@")),
        ("X1234567L", IdentifierQuery("X1234567L", None, "x1234567l")),
        ("12", None),
    ],
)
def test_digits_or_at_sign_make_an_identifier_query(text: str, query: object) -> None:
    assert parse(text) == query


def test_specs_like_patterns_and_costs() -> None:
    whole, prefix = exact_specs("gar")
    assert (whole.like, whole.cost) == ("% gar %", 0)
    assert (prefix.like, prefix.cost) == ("% gar%", COST_PREFIX)


def test_typo_specs_keep_words_within_the_edits_ranked_by_distance() -> None:
    vocabulary = [("garcia", 4), ("garces", 3), ("garsias", 5), ("lopez", 1), ("gracia", 3)]
    specs = typo_specs("garsia", vocabulary)
    # garsias starts with the word (a prefix match already), gracia is two edits away.
    assert specs == [Spec(COST_PER_EDIT, "garcia", True)]


def test_typo_specs_skip_candidates_the_trigram_bound_rules_out() -> None:
    assert typo_specs("garsia", [("garcia", 1)]) == []


def test_combos_rank_by_total_cost() -> None:
    jose, nunez = exact_specs("jose"), [*exact_specs("nunez"), Spec(100, "nunes", True)]
    ranked = combos([jose, nunez])
    assert combo_count([jose, nunez]) == len(ranked) == 6
    assert [combo_cost(c) for c in ranked] == [0, 1, 1, 2, 100, 101]
    assert ranked[0] == (jose[0], nunez[0])
