"""Phones stored in E.164 and shown grouped (libphonenumber's rules, Spain by default)."""

from __future__ import annotations

import pytest

from clinic_patients.normalize import phone_digits
from clinic_patients.phones import grouped, normalised_or_kept, to_e164


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("612345678", "+34612345678"),
        ("612 34 56 78", "+34612345678"),
        ("612-345-678", "+34612345678"),
        ("+34 612 345 678", "+34612345678"),
        ("0034 612 345 678", "+34612345678"),
        ("(91) 555 01 01", "+34915550101"),
        ("+44 20 7946 0958", "+442079460958"),
        ("00 44 20 7946 0958", "+442079460958"),
        ("+1 650-253-0000", "+16502530000"),
    ],
)
def test_what_is_typed_is_stored_in_e164(typed: str, e164: str) -> None:
    assert to_e164(typed) == e164


@pytest.mark.parametrize(
    "typed",
    ["call me", "12345", "123456", "412 34 56 78", "+34 6" + "1" * 14, "+999 612 345 678"],
)
def test_what_is_not_a_number_is_refused_saying_why(typed: str) -> None:
    with pytest.raises(ValueError, match=r"digits|phone number|may contain"):
        to_e164(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+34612345678", "612 34 56 78"),
        ("+34915550101", "915 55 01 01"),
        ("+442079460958", "+44 20 7946 0958"),
        ("+16502530000", "+1 650-253-0000"),
        (None, None),
        # A row from before the normalisation that the library cannot read: as it was typed.
        ("612-ABC", "612-ABC"),
        ("12345", "12345"),
    ],
)
def test_numbers_are_shown_grouped_the_clinics_country_nationally(
    stored: str | None, shown: str | None
) -> None:
    assert grouped(stored) == shown


def test_old_rows_are_normalised_when_readable_and_kept_when_not() -> None:
    assert normalised_or_kept("+34 612 345 678") == "+34612345678"
    assert normalised_or_kept("612-ABC") == "612-ABC"
    assert normalised_or_kept(None) is None


def test_the_search_digits_of_an_e164_number_drop_spains_prefix_only() -> None:
    assert phone_digits("+34612345678") == "612345678"
    assert phone_digits("+442079460958") == "442079460958"
