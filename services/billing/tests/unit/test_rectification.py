"""Rectifying invoices: by substitution or by differences, referencing the original."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_billing.domain.invoices import Invoice, issued, new_draft
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.rectification import rectify
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_shared.errors import ConflictError, FieldError

D = Decimal


def session(price: str = "45.00", quantity: str = "1") -> InvoiceLine:
    return InvoiceLine("Sesión de fisioterapia", D(quantity), D(price), D(0), D(0), HEALTH_CARE)


def cream(price: str = "10.00") -> InvoiceLine:
    return InvoiceLine("Crema", D(1), D(price), D(21))


def original(series: str = "F") -> Invoice:
    draft = new_draft(series, [session(quantity="4"), cream()], "12345678Z")
    return issued(draft, InvoiceNumber(series, 2026, 12), date(2026, 3, 2))


def test_full_cancellation_by_differences_negates_the_original() -> None:
    result = rectify(original(), method="differences", reason_code="R4", reason="Duplicada")
    assert result.invoice.series == "R"
    assert result.invoice.status == "draft"
    assert result.invoice.recipient_tax_id == "12345678Z"
    totals = result.invoice.totals
    assert (totals.base, totals.tax, totals.total) == (D("-190.00"), D("-2.10"), D("-192.10"))
    assert result.net_change == D("-192.10")
    assert result.verifactu_kind == "I"


def test_the_reference_names_the_original_number_and_date() -> None:
    result = rectify(original(), method="differences", reason_code="R1", reason="Precio erróneo")
    assert str(result.rectifies.number) == "F2026000012"
    assert result.rectifies.issued_on == date(2026, 3, 2)
    assert (result.rectifies.base, result.rectifies.tax) == (D("190.00"), D("2.10"))
    assert result.reason == "Precio erróneo"


def test_differences_deduct_the_original_and_add_the_correction() -> None:
    # Four sessions were billed, three happened.
    result = rectify(
        original(),
        method="differences",
        reason_code="R4",
        reason="Una sesión no se realizó",
        corrected_lines=[session(quantity="3"), cream()],
    )
    assert [line.quantity for line in result.invoice.lines] == [D(-4), D(-1), D(3), D(1)]
    assert result.invoice.totals.total == D("-45.00")
    assert result.net_change == D("-45.00")


def test_substitution_carries_the_corrected_invoice_in_full() -> None:
    result = rectify(
        original(),
        method="substitution",
        reason_code="R4",
        reason="Una sesión no se realizó",
        corrected_lines=[session(quantity="3"), cream()],
    )
    assert result.invoice.totals.total == D("147.10")
    assert result.net_change == D("-45.00")
    assert result.verifactu_kind == "S"


def test_a_simplified_invoice_is_rectified_with_r5_only() -> None:
    simplified = issued(new_draft("S", [session()]), InvoiceNumber("S", 2026, 1), date(2026, 3, 2))
    result = rectify(simplified, method="differences", reason_code="R5", reason="Error")
    assert result.invoice.totals.total == D("-45.00")
    with pytest.raises(FieldError) as caught:
        rectify(simplified, method="differences", reason_code="R4", reason="Error")
    assert caught.value.field == "reasonCode"
    with pytest.raises(FieldError):
        rectify(original(), method="differences", reason_code="R5", reason="Error")


def test_a_draft_is_edited_not_rectified() -> None:
    draft = new_draft("F", [session()], "12345678Z")
    with pytest.raises(ConflictError, match="draft"):
        rectify(draft, method="differences", reason_code="R4", reason="x")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"method": "refund"}, "method"),
        ({"reason_code": "R9"}, "reasonCode"),
        ({"method": "substitution"}, "lines"),
    ],
)
def test_bad_rectifications_name_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"method": "differences", "reason_code": "R4", "reason": "x"}
    arguments.update(kwargs)
    with pytest.raises(FieldError) as caught:
        rectify(original(), **arguments)
    assert caught.value.field == field


def test_a_correction_that_changes_nothing_is_refused() -> None:
    same = [session(quantity="4"), cream()]
    for method in ("differences", "substitution"):
        with pytest.raises(FieldError, match="changes nothing"):
            rectify(original(), method=method, reason_code="R4", reason="x", corrected_lines=same)
