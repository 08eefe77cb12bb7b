"""Totals: per-line rounding, VAT once per rate, exempt physiotherapy, negative rectifications."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_billing.domain.money import ZERO
from clinic_billing.domain.totals import (
    HEALTH_CARE,
    InvoiceLine,
    line_amount,
    make_line,
    negated,
    totals,
)
from clinic_shared.errors import FieldError

D = Decimal


def session(price: str = "45.00", quantity: str = "1", discount: str = "0") -> InvoiceLine:
    return InvoiceLine(
        "Sesión de fisioterapia", D(quantity), D(price), D(0), D(discount), HEALTH_CARE
    )


def product(price: str, rate: str = "21", quantity: str = "1") -> InvoiceLine:
    return InvoiceLine("Banda elástica", D(quantity), D(price), D(rate))


def test_exempt_sessions_carry_no_vat_and_name_the_exemption() -> None:
    result = totals([session(), session(quantity="3")])
    assert [item.amount for item in result.lines] == [D("45.00"), D("135.00")]
    (exempt,) = result.breakdown
    assert exempt.vat_rate == 0
    assert exempt.exemption is HEALTH_CARE
    assert exempt.exemption.code == "E1"
    assert "20.Uno.3º" in exempt.exemption.text_es
    assert (result.base, result.tax, result.total) == (D("180.00"), D("0.00"), D("180.00"))


def test_lines_round_half_up_one_by_one() -> None:
    # 3 × 0.335 = 1.005 → 1.01; with a 10 % discount: 0.9045 → 0.90
    assert line_amount(product("0.335", quantity="3")) == D("1.01")
    assert line_amount(InvoiceLine("x", D(3), D("0.335"), D(21), D(10))) == D("0.90")


def test_vat_is_computed_once_per_rate_on_the_summed_base() -> None:
    # Three lines of 0.07 at 21 %: VAT line by line would be 3 × round(0.0147) = 0.03;
    # on the summed base, 0.21 × 21 % = 0.0441 → 0.04, the cuota an inspector recomputes.
    result = totals([product("0.07"), product("0.07"), product("0.07")])
    (rate,) = result.breakdown
    assert (rate.base, rate.tax) == (D("0.21"), D("0.04"))
    assert result.total == D("0.25")


def test_mixed_rates_break_down_highest_first() -> None:
    result = totals([session(), product("10.00"), product("3.00", rate="10"), product("2", "4")])
    assert [(b.vat_rate, b.base, b.tax) for b in result.breakdown] == [
        (D(21), D("10.00"), D("2.10")),
        (D(10), D("3.00"), D("0.30")),
        (D(4), D("2.00"), D("0.08")),
        (D(0), D("45.00"), D("0.00")),
    ]
    assert (result.base, result.tax, result.total) == (D("60.00"), D("2.48"), D("62.48"))


def test_full_discount_gives_zero() -> None:
    assert totals([session(discount="100")]).total == D("0.00")


def test_rectifying_lines_are_negative() -> None:
    lines = [session(), product("10.00")]
    result = totals(negated(lines), rectifying=True)
    assert (result.base, result.tax, result.total) == (D("-55.00"), D("-2.10"), D("-57.10"))


def test_negative_quantities_only_on_a_rectifying_invoice() -> None:
    with pytest.raises(FieldError, match="positive") as caught:
        totals([session(), session(quantity="-1")])
    assert caught.value.field == "lines.1.quantity"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": "0"}, "lines.2.quantity"),
        ({"discount_percent": "100.01"}, "lines.2.discountPercent"),
        ({"discount_percent": "-1"}, "lines.2.discountPercent"),
        ({"unit_price": "-5"}, "lines.2.unitPrice"),
        ({"unit_price": "1.005"}, "lines.2.unitPrice"),
        ({"vat_rate": "7"}, "lines.2.vatRate"),
        ({"vat_rate": "0"}, "lines.2.exemption"),
        ({"exemption": "health_care"}, "lines.2.exemption"),
        ({"exemption": "lottery"}, "lines.2.exemption"),
        ({"description": "  "}, "lines.2.description"),
        ({"quantity": 1.5}, "lines.2.quantity"),
    ],
)
def test_bad_lines_name_the_field(kwargs: dict[str, object], field: str) -> None:
    line: dict[str, object] = {
        "description": "Crema",
        "quantity": "1",
        "unit_price": "9.90",
        "vat_rate": "21",
    }
    line.update(kwargs)
    with pytest.raises(FieldError) as caught:
        make_line(**line, field="lines.2")
    assert caught.value.field == field


def test_make_line_parses_client_input() -> None:
    line = make_line("Sesión", "2", "45", "0", "10", "health_care")
    assert line == InvoiceLine("Sesión", D(2), D(45), D(0), D(10), HEALTH_CARE)
    assert line_amount(line) == D("81.00")


def test_an_invoice_needs_lines() -> None:
    with pytest.raises(FieldError) as caught:
        totals([])
    assert caught.value.field == "lines"


cents = st.decimals(min_value=D("0.00"), max_value=D("5000.00"), places=2)
quantities = st.decimals(min_value=D("0.001"), max_value=D("100"), places=3)
discounts = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
rates = st.sampled_from([D(21), D(10), D(4), D(0)])


@st.composite
def lines(draw: st.DrawFn) -> InvoiceLine:
    rate = draw(rates)
    return InvoiceLine(
        "x",
        draw(quantities),
        draw(cents),
        rate,
        draw(discounts),
        HEALTH_CARE if rate == 0 else None,
    )


@given(st.lists(lines(), min_size=1, max_size=12))
def test_totals_add_up_to_the_cent(items: list[InvoiceLine]) -> None:
    result = totals(items)
    for value in (result.base, result.tax, result.total):
        assert value == value.quantize(D("0.01"))
    assert sum((item.amount for item in result.lines), ZERO) == result.base
    assert sum((b.base for b in result.breakdown), ZERO) == result.base
    assert result.base + result.tax == result.total
    for b in result.breakdown:
        assert abs(b.tax - b.base * b.vat_rate / 100) <= D("0.005")


@given(st.lists(lines(), min_size=1, max_size=12))
def test_a_full_rectification_mirrors_the_original(items: list[InvoiceLine]) -> None:
    original = totals(items)
    mirror = totals(negated(items), rectifying=True)
    assert (mirror.base, mirror.tax, mirror.total) == (
        -original.base,
        -original.tax,
        -original.total,
    )
