"""DNI and NIE check letters (python-stdnum via clinic_shared); other documents as given."""

from __future__ import annotations

import pytest

from clinic_patients.tax_ids import tax_id_problem


@pytest.mark.parametrize(
    ("tax_id", "letter"),
    [("00000000A", "T"), ("00000001A", "R"), ("00000022A", "E"), ("00000023A", "T")],
)
def test_the_letters_are_the_official_ones(tax_id: str, letter: str) -> None:
    assert tax_id_problem(tax_id) == f"is not a valid DNI: the check letter should be {letter}"


@pytest.mark.parametrize(
    "tax_id", ["12345678Z", "00000000T", "99999999R", "X1234567L", "Y7654321G", "Z0000000M"]
)
def test_valid_dni_and_nie(tax_id: str) -> None:
    assert tax_id_problem(tax_id) is None


@pytest.mark.parametrize(
    ("tax_id", "message"),
    [
        ("12345678A", "is not a valid DNI: the check letter should be Z"),
        ("X1234567A", "is not a valid NIE: the check letter should be L"),
        ("Y7654321A", "is not a valid NIE: the check letter should be G"),
    ],
)
def test_a_wrong_check_letter_names_the_right_one(tax_id: str, message: str) -> None:
    assert tax_id_problem(tax_id) == message


@pytest.mark.parametrize("document", ["PA1234567", "12345678", "1234567L", "AB12CD34", "W1234567Z"])
def test_other_documents_are_not_checked(document: str) -> None:
    assert tax_id_problem(document) is None


@pytest.mark.parametrize("bad", ["", "X" * 21, "12345678-Z", "PASAPORTE Nº1", "ÑU1234"])
def test_empty_overlong_or_odd_characters_are_refused(bad: str) -> None:
    assert tax_id_problem(bad) is not None
