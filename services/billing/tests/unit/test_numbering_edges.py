"""The edges of invoice numbering that mutation testing found untested (docs/testing.md):
the year's bounds, the order of numbers, equal values that are not the same object, a second
invoice on the same day, the size of a gap."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from clinic_billing.domain.numbering import (
    Gap,
    InvoiceNumber,
    check_issue_date,
    duplicates,
    next_number,
    number_gaps,
    parse_number,
)
from clinic_shared.errors import FieldError


@pytest.mark.parametrize("year", [2000, 9999])
def test_the_first_and_last_four_digit_years_are_accepted(year: int) -> None:
    assert InvoiceNumber("F", year, 1).year == year


@pytest.mark.parametrize("year", [1999, 10_000])
def test_years_outside_four_digits_are_refused(year: int) -> None:
    with pytest.raises(FieldError) as caught:
        InvoiceNumber("F", year, 1)
    assert caught.value.field == "year"


def test_numbers_sort_by_series_year_and_sequence() -> None:
    numbers = [parse_number(text) for text in ("S2026000002", "F2026000010", "F2025000099")]
    assert [str(n) for n in sorted(numbers)] == ["F2025000099", "F2026000010", "S2026000002"]
    assert InvoiceNumber("F", 2026, 2) > InvoiceNumber("F", 2026, 1)


def test_a_number_of_another_series_is_refused_whichever_letter_sorts_first() -> None:
    with pytest.raises(ValueError, match="not of series"):
        next_number("S", 2026, InvoiceNumber("F", 2026, 3))


def test_the_next_number_of_a_parsed_last_number_continues_the_year() -> None:
    # Equal years that are different int objects (parsed vs. the clock's): == , not ``is``.
    last = parse_number("F2026000041")
    assert next_number("F", int("2026"), last) == InvoiceNumber("F", 2026, 42)


def test_a_second_invoice_on_the_same_day_or_later_is_fine() -> None:
    check_issue_date("F", date(2026, 3, 2), date(2026, 3, 2))
    check_issue_date("F", date(2026, 3, 2), date(2026, 3, 3))


def test_a_gap_counts_and_lists_its_numbers() -> None:
    assert Gap("F", 2026, 3, 7).missing == 5
    assert Gap("F", 2026, 4, 4).missing == 1
    assert [n.sequence for n in Gap("F", 2026, 3, 5).numbers()] == [3, 4, 5]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Gap("F", 2026, 3, 5).last = 9  # type: ignore[misc]


def test_gaps_of_one_year_leave_later_years_out() -> None:
    numbers = [parse_number(t) for t in ("F2025000001", "F2025000003", "F2026000002")]
    assert number_gaps(numbers, year=2025) == [Gap("F", 2025, 2, 2)]
    assert number_gaps(numbers, year=int("2026")) == [Gap("F", 2026, 1, 1)]


def test_long_unbroken_runs_have_no_gaps() -> None:
    # Past 256, equal ints are different objects: the comparison must be by value.
    numbers = [InvoiceNumber("F", 2026, sequence) for sequence in range(1, 400)]
    assert number_gaps(numbers) == []
    assert duplicates([*numbers, numbers[300], numbers[299]]) == [numbers[299], numbers[300]]
