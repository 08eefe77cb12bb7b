"""Tax ids through python-stdnum."""

from __future__ import annotations

import pytest

from clinic_shared.errors import FieldError
from clinic_shared.tax_ids import TaxId, parse_spanish_tax_id, parse_tax_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345678Z", TaxId("dni", "12345678Z")),
        (" 12.345.678-z ", TaxId("dni", "12345678Z")),
        ("X1234567L", TaxId("nie", "X1234567L")),
        ("B12345674", TaxId("cif", "B12345674")),
        ("ESB12345674", TaxId("cif", "B12345674")),
        ("DE136695976", TaxId("eu_vat", "DE136695976")),
    ],
)
def test_valid_ids_are_classified_and_compacted(value: str, expected: TaxId) -> None:
    assert parse_tax_id(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345678A", "check letter"),
        ("X1234567A", "check letter"),
        ("B12345670", "check letter"),
        ("DE136695970", "check digits"),
        ("hello", "not a NIF"),
        ("", "empty"),
    ],
)
def test_invalid_ids_name_the_field(value: str, message: str) -> None:
    with pytest.raises(FieldError, match=message) as caught:
        parse_tax_id(value, "customer.taxId")
    assert caught.value.field == "customer.taxId"


def test_the_issuer_must_be_spanish() -> None:
    assert parse_spanish_tax_id("B12345674").kind == "cif"
    with pytest.raises(FieldError, match="Spanish"):
        parse_spanish_tax_id("DE136695976")
