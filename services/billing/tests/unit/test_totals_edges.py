"""The edges of invoice lines and totals that mutation testing found untested
(docs/testing.md): the description's length, the decimals each field takes, a negative price
below one euro, the order of the VAT breakdown, values that cannot be changed."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from clinic_billing.domain.totals import (
    HEALTH_CARE,
    InvoiceLine,
    check_line,
    make_line,
    totals,
)
from clinic_shared.errors import FieldError

D = Decimal


def _line(**changes: object) -> InvoiceLine:
    values: dict[str, object] = {
        "description": "Sesión",
        "quantity": D(1),
        "unit_price": D(40),
        "vat_rate": D(21),
    }
    values.update(changes)
    return InvoiceLine(**values)  # type: ignore[arg-type]


def _refused_field(**changes: object) -> str:
    with pytest.raises(FieldError) as caught:
        check_line(_line(**changes))
    return str(caught.value.field)


def test_a_description_of_500_characters_is_the_longest() -> None:
    check_line(_line(description="x" * 500))
    assert _refused_field(description="x" * 501) == "lines.0.description"


@pytest.mark.parametrize(
    ("field", "accepted", "refused"),
    [
        ("quantity", "1.234", "1.2345"),
        ("unit_price", "40.55", "40.555"),
        ("discount_percent", "12.55", "12.555"),
    ],
)
def test_each_field_takes_its_own_number_of_decimals(
    field: str, accepted: str, refused: str
) -> None:
    base = {"quantity": "1", "unit_price": "40", "vat_rate": "21", "discount_percent": "0"}
    make_line("Sesión", **{**base, field: accepted})  # type: ignore[arg-type]
    with pytest.raises(FieldError):
        make_line("Sesión", **{**base, field: refused})  # type: ignore[arg-type]


def test_a_negative_quantity_is_refused_unless_rectifying_is_said() -> None:
    assert _refused_field(quantity=D(-1)) == "lines.0.quantity"
    check_line(_line(quantity=D(-1)), rectifying=True)


def test_a_price_a_few_cents_below_zero_is_refused() -> None:
    assert _refused_field(unit_price=D("-0.50")) == "lines.0.unitPrice"


def test_an_unknown_rate_names_the_rates_highest_first() -> None:
    with pytest.raises(FieldError, match="must be one of 21, 10, 4, 0"):
        check_line(_line(vat_rate=D(7)))


def test_the_breakdown_is_highest_rate_first_whatever_the_order_of_lines() -> None:
    lines = [
        _line(vat_rate=D(0), exemption=HEALTH_CARE),
        _line(vat_rate=D(4)),
        _line(vat_rate=D(10)),
        _line(vat_rate=D(21)),
    ]
    assert [b.vat_rate for b in totals(lines).breakdown] == [21, 10, 4, 0]


def test_lines_and_totals_cannot_be_changed_after_the_fact() -> None:
    result = totals([_line()])
    for value in (HEALTH_CARE, _line(), result.lines[0], result.breakdown[0], result):
        name = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
