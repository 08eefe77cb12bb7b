"""Folding, words, phones and tax ids: the normalisation every write and search shares."""

from __future__ import annotations

import pytest

from clinic_patients.normalize import (
    collapse_spaces,
    fold,
    has_letter,
    normalize_tax_id,
    phone_digits,
    phone_problem,
    tokens,
    words_within,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García", "garcia"),
        ("NÚÑEZ", "nunez"),
        ("Ñandú", "nandu"),
        ("Çelik", "celik"),
        ("Straße", "strasse"),
        ("İlkay", "ilkay"),
        ("Ǆenan", "dzenan"),
        ("ﬁdel", "fidel"),
        ("Øystein", "øystein"),  # no decomposition: kept, but still lower case
        ("王伟", "王伟"),
    ],
)
def test_fold_removes_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("José  García-Núñez", ["jose", "garcia", "nunez"]),
        ("O'Donnell", ["o", "donnell"]),
        ("Puig i Ferrer", ["puig", "i", "ferrer"]),
        ("snake_case", ["snake", "case"]),
        ("¡¿--?!", []),
        ("Luis 2º", ["luis", "2o"]),
    ],
)
def test_tokens_are_folded_words(text: str, words: list[str]) -> None:
    assert tokens(text) == words


def test_words_are_capped_at_fifty_characters() -> None:
    assert tokens("a" * 80) == ["a" * 50]


def test_words_within_keeps_whole_words_that_fit() -> None:
    assert words_within("De la Fuente Martínez", 12) == ["de", "la", "fuente"]
    assert words_within("De la Fuente", 11) == ["de", "la"]
    assert words_within("Ana", 2) == []


def test_spaces_and_letters() -> None:
    assert collapse_spaces("  María \t del\nCarmen ") == "María del Carmen"
    assert has_letter("2º B")
    assert not has_letter("1234 -")


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("12.345.678-z", "12345678Z"), (" x 1234567 l ", "X1234567L"), ("pa-12 34", "PA1234")],
)
def test_tax_ids_are_upper_case_without_separators(raw: str, normalized: str) -> None:
    assert normalize_tax_id(raw) == normalized


@pytest.mark.parametrize(
    ("phone", "digits"),
    [
        ("+34 612 345 678", "612345678"),
        ("0034 612-345-678", "612345678"),
        ("612 34 56 78", "612345678"),
        ("(91) 555.01.01", "915550101"),
        ("+44 20 7946 0958", "442079460958"),
        ("+1 (555) 010-0199", "15550100199"),
    ],
)
def test_phone_digits_drop_formatting_and_the_spanish_prefix(phone: str, digits: str) -> None:
    assert phone_problem(phone) is None
    assert phone_digits(phone) == digits


@pytest.mark.parametrize("phone", ["call me", "612-ABC", "12345", "+34 " + "6" * 16, "6+12345678"])
def test_implausible_phones_are_refused(phone: str) -> None:
    assert phone_problem(phone) is not None
