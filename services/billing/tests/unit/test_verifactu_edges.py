"""The edges of the Verifactu chain that mutation testing found untested (docs/testing.md):
hashes read back as other string objects, a forged hash that sorts low, an offset that is
None, records that cannot be changed."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal

import pytest

from clinic_billing.domain.verifactu import (
    AltaRecord,
    ChainBreak,
    chained,
    generated_at_text,
    verify_chain,
)

CET = timezone(timedelta(hours=1))


def _chain(count: int) -> list[AltaRecord]:
    records: list[AltaRecord] = []
    for index in range(count):
        record = AltaRecord(
            issuer_tax_id="B12345674",
            number=f"F2026{index + 1:06d}",
            issued_on=date(2026, 3, 2),
            invoice_type="F1",
            tax_total=Decimal("0.00"),
            total=Decimal("40.00"),
            generated_at=datetime(2026, 3, 2, 10, index, tzinfo=CET),
        )
        records.append(chained(record, records[-1] if records else None))
    return records


def _copy(text: str) -> str:
    """An equal string that is another object (as read back from the database)."""
    return "".join(list(text))


def test_a_chain_read_back_from_storage_verifies() -> None:
    records = [
        replace(r, previous_hash=_copy(r.previous_hash), hash=_copy(r.hash)) for r in _chain(4)
    ]
    assert records[1].previous_hash is not records[0].hash
    assert verify_chain(records) is None


@pytest.mark.parametrize("forged", ["0" * 64, "F" * 64])
def test_a_well_formed_but_wrong_hash_is_caught_whichever_way_it_sorts(forged: str) -> None:
    records = _chain(2)
    records[0] = replace(records[0], hash=forged)
    broken = verify_chain(records)
    assert broken == ChainBreak(0, "F2026000001", "hash")


class _NoOffset(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_a_time_zone_that_gives_no_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        generated_at_text(datetime(2026, 3, 2, 10, 0, tzinfo=_NoOffset()))


def test_records_and_breaks_cannot_be_changed_after_the_fact() -> None:
    record = _chain(1)[0]
    for value in (record, ChainBreak(0, "F2026000001", "hash")):
        name = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, "changed")
    assert not hasattr(record, "__dict__")  # slots: a hundred thousand of them in a check
