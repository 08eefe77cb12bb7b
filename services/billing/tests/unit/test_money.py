"""Money: Decimal only, half-up to cents, floats refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_billing.domain.money import format_amount, parse_amount, parse_decimal, to_cents
from clinic_shared.errors import FieldError


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("2.675", "2.68"),  # a float would give 2.67
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-0.005", "-0.01"),  # away from zero: a rectification mirrors the original
        ("-0.004", "0.00"),  # no negative zero
        ("10", "10.00"),
    ],
)
def test_half_up_to_cents(amount: str, cents: str) -> None:
    rounded = to_cents(Decimal(amount))
    assert rounded == Decimal(cents)
    assert str(rounded) == cents


@pytest.mark.parametrize("value", [12.5, 0.1, True])
def test_floats_and_bools_are_refused(value: object) -> None:
    with pytest.raises(FieldError, match="never a float") as caught:
        parse_amount(value, "amount")
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.50", "12.50"),
        (" 7 ", "7.00"),
        (3, "3.00"),
        (Decimal("1.10"), "1.10"),
        ("1.230", "1.23"),
    ],
)
def test_strings_ints_and_decimals_parse(value: object, expected: str) -> None:
    assert str(parse_amount(value, "amount")) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.345", "more than 2 decimals"),
        ("abc", "not a number"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
        ("", "not a number"),
        (None, "not a number"),
        ("100000000", "at most"),
    ],
)
def test_bad_amounts_name_the_field(value: object, message: str) -> None:
    with pytest.raises(FieldError, match=message) as caught:
        parse_amount(value, "lines.0.unitPrice")
    assert caught.value.field == "lines.0.unitPrice"


def test_quantities_may_have_three_decimals() -> None:
    assert parse_decimal("1.125", "quantity", places=3) == Decimal("1.125")
    with pytest.raises(FieldError):
        parse_decimal("1.1255", "quantity", places=3)


def test_format_is_two_decimals_with_a_point() -> None:
    assert format_amount(Decimal("1234.5")) == "1234.50"
    assert format_amount(Decimal("-0.001")) == "0.00"
    assert format_amount(Decimal("123.45")) == "123.45"
