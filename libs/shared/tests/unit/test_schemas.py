"""CamelModel out, CamelInput in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from clinic_shared.schemas import CamelInput, CamelModel


class PatientCreate(CamelInput):
    given_name: str
    phone_number: str | None = None


class PatientPublic(CamelModel):
    id: int
    given_name: str


@dataclass
class PatientRow:
    id: int
    given_name: str
    internal_note: str


def test_input_reads_camel_case_and_strips_whitespace() -> None:
    body = PatientCreate.model_validate({"givenName": "  Laura ", "phoneNumber": " 600 "})

    assert (body.given_name, body.phone_number) == ("Laura", "600")


def test_input_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError) as excinfo:
        PatientCreate.model_validate({"givenName": "Laura", "givenNmae": "typo"})

    assert [e["loc"] for e in excinfo.value.errors()] == [("givenNmae",)]
    assert excinfo.value.errors()[0]["type"] == "extra_forbidden"


def test_public_model_is_built_from_attributes_and_dumped_in_camel_case() -> None:
    public = PatientPublic.model_validate(PatientRow(id=3, given_name="Jordi", internal_note="x"))

    assert public.model_dump(by_alias=True) == {"id": 3, "givenName": "Jordi"}


def test_as_utc_reads_naive_values_as_utc_and_converts_aware_ones() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from clinic_shared.schemas import as_utc

    assert as_utc(datetime(2027, 3, 26, 8, 0)) == datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    madrid_summer = timezone(timedelta(hours=2))
    converted = as_utc(datetime(2027, 3, 29, 9, 0, tzinfo=madrid_summer))
    assert converted.tzinfo is UTC
    assert converted.hour == 7
