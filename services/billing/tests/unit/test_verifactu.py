"""Verifactu: AEAT's hash examples, the chain check, the QR URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from clinic_billing.domain.verifactu import (
    AltaRecord,
    chained,
    hash_input,
    invoice_type,
    qr_url,
    record_hash,
    verify_chain,
)
from clinic_shared.errors import FieldError

CET = timezone(timedelta(hours=1))
AEAT_FIRST = "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"


def aeat_example() -> AltaRecord:
    return AltaRecord(
        issuer_tax_id="89890001K",
        number="12345678/G33",
        issued_on=date(2024, 1, 1),
        invoice_type="F1",
        tax_total=Decimal("12.35"),
        total=Decimal("123.45"),
        generated_at=datetime(2024, 1, 1, 19, 20, 30, tzinfo=CET),
    )


def test_reproduces_aeats_published_example_exactly() -> None:
    record = aeat_example()
    assert hash_input(record) == (
        "IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024"
        "&TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella="
        "&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00"
    )
    assert record_hash(record) == AEAT_FIRST
    assert chained(record, None).hash == AEAT_FIRST


def test_second_record_chains_on_the_first() -> None:
    # AEAT's second example: the next invoice, five seconds later, carrying the first's hash.
    first = chained(aeat_example(), None)
    second = chained(
        replace(
            aeat_example(),
            number="12345679/G34",
            generated_at=datetime(2024, 1, 1, 19, 20, 35, tzinfo=CET),
        ),
        first,
    )
    assert second.previous_hash == AEAT_FIRST
    assert second.hash == "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97"


def test_values_are_trimmed_and_amounts_have_two_decimals() -> None:
    padded = replace(aeat_example(), issuer_tax_id=" 89890001K ", number="12345678/G33 ")
    assert record_hash(padded) == AEAT_FIRST
    assert "CuotaTotal=12.30&ImporteTotal=100.00" in hash_input(
        replace(aeat_example(), tax_total=Decimal("12.3"), total=Decimal(100))
    )


def test_generation_time_keeps_its_offset_and_needs_one() -> None:
    utc = replace(aeat_example(), generated_at=datetime(2024, 1, 1, 18, 20, 30, 999, tzinfo=UTC))
    assert hash_input(utc).endswith("FechaHoraHusoGenRegistro=2024-01-01T18:20:30+00:00")
    with pytest.raises(ValueError, match="offset"):
        hash_input(replace(aeat_example(), generated_at=datetime(2024, 1, 1, 19, 20, 30)))


def chain(length: int) -> list[AltaRecord]:
    records: list[AltaRecord] = []
    for index in range(length):
        record = replace(
            aeat_example(),
            number=f"F2026{index + 1:06d}",
            generated_at=datetime(2026, 1, 1, 9, 0, index, tzinfo=CET),
        )
        records.append(chained(record, records[-1] if records else None))
    return records


def test_an_intact_chain_verifies() -> None:
    assert verify_chain(chain(5)) is None
    assert verify_chain([]) is None


def test_a_tampered_amount_is_caught_at_that_record() -> None:
    records = chain(5)
    records[2] = replace(records[2], total=Decimal("1.00"))
    broken = verify_chain(records)
    assert broken is not None
    assert (broken.index, broken.number, broken.reason) == (2, "F2026000003", "hash")
    assert "altered" in broken.message


def test_a_removed_record_breaks_the_link_of_the_next() -> None:
    records = chain(5)
    del records[1]
    broken = verify_chain(records)
    assert broken is not None
    assert (broken.number, broken.reason) == ("F2026000003", "link")
    assert "missing" in broken.message


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    records = chain(4)
    forged = replace(records[1], total=Decimal("1.00"))
    records[1] = chained(forged, records[0])
    broken = verify_chain(records)
    assert broken is not None
    assert (broken.index, broken.reason) == (2, "link")


def test_a_lowercase_hash_is_not_accepted() -> None:
    records = chain(1)
    records[0] = replace(records[0], hash=records[0].hash.lower())
    broken = verify_chain(records)
    assert broken is not None
    assert broken.reason == "hash"


def test_invoice_types() -> None:
    assert invoice_type("F") == "F1"
    assert invoice_type("S") == "F2"
    assert invoice_type("R", "R4") == "R4"
    with pytest.raises(FieldError):
        invoice_type("R")


def test_qr_url_production_and_test_hosts() -> None:
    assert qr_url("89890001K", "12345678&G33", date(2024, 1, 1), Decimal("241.4")) == (
        "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"
        "?nif=89890001K&numserie=12345678%26G33&fecha=01-01-2024&importe=241.40"
    )
    test = qr_url("B12345674", "F2026000001", date(2026, 3, 2), Decimal("45"), "test")
    assert test == (
        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR"
        "?nif=B12345674&numserie=F2026000001&fecha=02-03-2026&importe=45.00"
    )
