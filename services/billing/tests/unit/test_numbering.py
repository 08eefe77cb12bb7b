"""Numbers: series + year + six digits, the next one, and the gaps."""

from __future__ import annotations

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
from clinic_shared.errors import ConflictError, FieldError


def test_format_is_series_year_and_six_digits() -> None:
    number = InvoiceNumber("F", 2026, 1)
    assert number.code == "2026000001"  # the seed's format
    assert str(number) == "F2026000001"
    assert parse_number(" f2026000001 ") == number
    assert str(InvoiceNumber("R", 2025, 123456)) == "R2025123456"


@pytest.mark.parametrize("text", ["2026000001", "X2026000001", "F202600001", "F2026-000001", ""])
def test_malformed_numbers_are_refused(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_number(text, "number")
    assert caught.value.field == "number"


def test_sequence_and_series_are_bounded() -> None:
    with pytest.raises(FieldError):
        InvoiceNumber("F", 2026, 0)
    with pytest.raises(FieldError):
        InvoiceNumber("F", 2026, 1_000_000)
    with pytest.raises(FieldError):
        InvoiceNumber("Z", 2026, 1)


def test_next_number() -> None:
    assert next_number("F", 2026, None) == InvoiceNumber("F", 2026, 1)
    assert next_number("F", 2026, InvoiceNumber("F", 2026, 41)) == InvoiceNumber("F", 2026, 42)
    assert next_number("F", 2027, InvoiceNumber("F", 2026, 977)) == InvoiceNumber("F", 2027, 1)


def test_next_number_never_goes_back_or_overflows() -> None:
    with pytest.raises(ConflictError, match="2027, after 2026"):
        next_number("F", 2026, InvoiceNumber("F", 2027, 3))
    with pytest.raises(ConflictError, match="every number"):
        next_number("R", 2026, InvoiceNumber("R", 2026, 999_999))
    with pytest.raises(ValueError, match="not of series"):
        next_number("F", 2026, InvoiceNumber("R", 2026, 3))


def test_issue_dates_never_go_backwards() -> None:
    check_issue_date("F", None, date(2026, 1, 2))
    check_issue_date("F", date(2026, 1, 2), date(2026, 1, 2))
    with pytest.raises(ConflictError, match="2026-01-03"):
        check_issue_date("F", date(2026, 1, 3), date(2026, 1, 2))


def test_no_gaps_when_every_number_is_there() -> None:
    numbers = [InvoiceNumber("F", 2026, s) for s in (3, 1, 2)] + [InvoiceNumber("R", 2026, 1)]
    assert number_gaps(numbers) == []


def test_gaps_are_ranges_per_series_and_year() -> None:
    numbers = [
        InvoiceNumber("F", 2026, 1),
        InvoiceNumber("F", 2026, 2),
        InvoiceNumber("F", 2026, 5),
        InvoiceNumber("F", 2026, 7),
        InvoiceNumber("R", 2026, 2),  # R's first number is missing
        InvoiceNumber("F", 2025, 4),
    ]
    assert number_gaps(numbers, year=2026) == [
        Gap("F", 2026, 3, 4),
        Gap("F", 2026, 6, 6),
        Gap("R", 2026, 1, 1),
    ]
    assert number_gaps(numbers)[0] == Gap("F", 2025, 1, 3)
    gap = Gap("F", 2026, 3, 4)
    assert gap.missing == 2
    assert [str(n) for n in gap.numbers()] == ["F2026000003", "F2026000004"]


def test_duplicates_are_reported() -> None:
    one, two = InvoiceNumber("F", 2026, 1), InvoiceNumber("F", 2026, 2)
    assert duplicates([one, two, one]) == [one]
    assert duplicates([one, two]) == []
