"""The invoice state machine and the payment rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_billing.domain.invoices import (
    TRANSITIONS,
    Invoice,
    check_deletable,
    check_transition,
    edited,
    issued,
    new_draft,
    payment_for,
    with_payment,
)
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_shared.errors import ConflictError, FieldError

D = Decimal
ISSUED_ON = date(2026, 3, 2)


def session(price: str = "45.00", quantity: str = "1") -> InvoiceLine:
    return InvoiceLine("Sesión de fisioterapia", D(quantity), D(price), D(0), D(0), HEALTH_CARE)


def issued_invoice(price: str = "100.00") -> Invoice:
    draft = new_draft("F", [session(price)], "12345678Z")
    return issued(draft, InvoiceNumber("F", 2026, 7), ISSUED_ON)


def test_a_draft_has_no_number_and_owes_nothing() -> None:
    draft = new_draft("F", [session()], "12345678Z")
    assert (draft.status, draft.number, draft.issued_on) == ("draft", None, None)
    assert draft.totals.total == D("45.00")
    assert draft.balance == 0


def test_a_draft_may_be_edited_and_discarded() -> None:
    draft = new_draft("F", [session()], "12345678Z")
    changed = edited(draft, lines=[session(quantity="2")])
    assert changed.totals.total == D("90.00")
    assert changed.version == draft.version + 1
    check_deletable(changed)


def test_issuing_assigns_number_and_date_together() -> None:
    invoice = issued_invoice()
    assert invoice.status == "issued"
    assert str(invoice.number) == "F2026000007"
    assert invoice.issued_on == ISSUED_ON
    assert invoice.balance == D("100.00")


def test_an_issued_invoice_never_changes() -> None:
    invoice = issued_invoice()
    with pytest.raises(ConflictError, match="rectifying invoice"):
        edited(invoice, lines=[session("1.00")])
    with pytest.raises(ConflictError, match="rectifying invoice"):
        edited(invoice, recipient_tax_id="X1234567L")
    with pytest.raises(ConflictError, match="never deleted"):
        check_deletable(invoice)
    with pytest.raises(ConflictError, match="cannot become issued"):
        issued(invoice, InvoiceNumber("F", 2026, 8), ISSUED_ON)


def test_the_transition_table_only_moves_forward() -> None:
    assert TRANSITIONS["paid"] == frozenset()
    for status in ("issued", "partially_paid", "paid"):
        with pytest.raises(ConflictError):
            check_transition(status, "draft")


def test_number_must_match_series_and_year() -> None:
    draft = new_draft("F", [session()], "12345678Z")
    with pytest.raises(ValueError, match="series"):
        issued(draft, InvoiceNumber("R", 2026, 1), ISSUED_ON)
    with pytest.raises(ValueError, match="year"):
        issued(draft, InvoiceNumber("F", 2025, 1), ISSUED_ON)


def test_series_rules_at_issue() -> None:
    with pytest.raises(FieldError) as caught:
        issued(new_draft("F", [session()]), InvoiceNumber("F", 2026, 1), ISSUED_ON)
    assert caught.value.field == "customerId"
    small = new_draft("S", [session("400.00")])
    assert issued(small, InvoiceNumber("S", 2026, 1), ISSUED_ON).status == "issued"
    with pytest.raises(FieldError) as caught:
        issued(new_draft("S", [session("400.01")]), InvoiceNumber("S", 2026, 1), ISSUED_ON)
    assert caught.value.field == "series"


def test_partial_then_full_payment() -> None:
    invoice = issued_invoice()
    first = payment_for(invoice, "30.50", "card", ISSUED_ON)
    invoice = with_payment(invoice, first)
    assert (invoice.status, invoice.paid, invoice.balance) == (
        "partially_paid",
        D("30.50"),
        D("69.50"),
    )
    second = payment_for(invoice, "69.50", "bizum", date(2026, 3, 9))
    invoice = with_payment(invoice, second)
    assert (invoice.status, invoice.balance) == ("paid", D("0.00"))
    with pytest.raises(ConflictError, match="nothing is outstanding"):
        payment_for(invoice, "1", "cash", date(2026, 3, 9))


def test_no_payment_on_a_draft() -> None:
    with pytest.raises(ConflictError, match="draft"):
        payment_for(new_draft("F", [session()], "12345678Z"), "10", "cash", ISSUED_ON)


@pytest.mark.parametrize(
    ("amount", "method", "field", "message"),
    [
        ("100.01", "cash", "amount", "outstanding balance"),
        ("0", "cash", "amount", "positive"),
        ("-5", "cash", "amount", "positive"),
        ("10.005", "cash", "amount", "decimals"),
        (10.5, "cash", "amount", "float"),
        ("10", "cheque", "method", "one of"),
    ],
)
def test_bad_payments_name_the_field(amount: object, method: str, field: str, message: str) -> None:
    with pytest.raises(FieldError, match=message) as caught:
        payment_for(issued_invoice(), amount, method, ISSUED_ON)
    assert caught.value.field == field


def test_a_payment_cannot_predate_the_invoice() -> None:
    with pytest.raises(FieldError) as caught:
        payment_for(issued_invoice(), "10", "transfer", date(2026, 3, 1))
    assert caught.value.field == "date"


def test_cents_add_up_exactly() -> None:
    # 0.1 + 0.2 != 0.3 in floats; in Decimal ten payments of 0.10 settle 1.00 exactly.
    invoice = issued_invoice("1.00")
    for _ in range(10):
        payment = payment_for(invoice, "0.10", "cash", ISSUED_ON)
        assert isinstance(payment.amount, Decimal)
        invoice = with_payment(invoice, payment)
    assert (invoice.status, invoice.paid) == ("paid", D("1.00"))
