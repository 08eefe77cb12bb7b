"""Body rules not worth a round trip, similar names, and which event an update deserves."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from clinic_patients.duplicates import similar_names
from clinic_patients.models import Patient
from clinic_patients.patient_events import (
    PatientEvent,
    event_after_update,
    patient_payload,
    shared_state,
)
from clinic_patients.schemas import DuplicateCheck, PatientCreate, PatientUpdate
from clinic_patients.search.index import IndexedName
from clinic_shared.contracts import event_type_of, validate_payload
from clinic_shared.contracts.patients import (
    PatientDeactivated,
    PatientReactivated,
    PatientUpdated,
)


def test_update_without_status_keeps_it_and_create_defaults_to_active() -> None:
    body = {"firstName": "Ana", "lastName": "Gil"}
    assert PatientUpdate.model_validate(body).status is None
    assert PatientCreate.model_validate(body).status == "active"


def test_consent_is_kept_in_utc_and_country_is_upper_cased() -> None:
    body = PatientCreate.model_validate(
        {
            "firstName": "Ana",
            "lastName": "Gil",
            "dataConsentAt": "2026-05-01T10:00:00+02:00",
            "address": {"country": "pt"},
        }
    )
    assert body.data_consent_at is not None
    assert body.data_consent_at.isoformat() == "2026-05-01T08:00:00+00:00"
    assert body.address is not None
    assert body.address.country == "PT"


def test_consent_without_an_offset_is_refused_not_taken_as_utc() -> None:
    # Issue 11, finding 11: nobody could tell which instant "10:00" meant.
    with pytest.raises(ValidationError) as raised:
        PatientCreate.model_validate(
            {"firstName": "Ana", "lastName": "Gil", "dataConsentAt": "2026-05-01T10:00:00"}
        )
    assert [e["loc"] for e in raised.value.errors()] == [("dataConsentAt",)]


def test_the_duplicate_check_only_normalises_the_tax_id() -> None:
    check = DuplicateCheck.model_validate({"firstName": "A", "lastName": "B", "taxId": "1-a"})
    assert check.tax_id == "1A"
    with pytest.raises(ValidationError):
        DuplicateCheck.model_validate({"firstName": "A", "lastName": "B", "taxId": 5})


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        (("José", "García Núñez"), ("Jose", "Garcia"), True),
        (("José María", "García"), ("Jose", "García López"), True),
        (("María", "Gómez"), ("Mario", "Gomez"), True),
        (("Ana", "Garcia"), ("Ana", "Garza"), False),
        (("Ana", "García"), ("Lucía", "García"), False),
    ],
)
def test_similar_names(a: tuple[str, str], b: tuple[str, str], similar: bool) -> None:
    assert similar_names(IndexedName.of(*a), IndexedName.of(*b)) is similar


def _patient(**changes: object) -> Patient:
    values: dict[str, object] = {
        "id": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
        "first_name": "José",
        "last_name": "García Núñez",
        "tax_id": "12345678Z",
        "birth_date": date(1978, 4, 12),
        "phone": "+34 612 345 678",
        "email": "jose@example.es",
        "status": "active",
        "preferred_locale": "es",
        "notes": "",
        "created_at": datetime(2026, 1, 1),
    }
    values.update(changes)
    return Patient(**values)


@pytest.mark.parametrize(
    ("changes", "event"),
    [
        ({"phone": "600 000 000"}, PatientUpdated),
        ({"preferred_locale": "en"}, PatientUpdated),
        ({"status": "inactive"}, PatientDeactivated),
        ({"status": "inactive", "phone": None}, PatientDeactivated),
        ({"notes": "only administrative notes"}, None),
    ],
)
def test_which_event_an_update_emits(
    changes: dict[str, object], event: PatientEvent | None
) -> None:
    before = shared_state(_patient())
    assert event_after_update(before, _patient(**changes)) is event


def test_reactivation_is_its_own_event() -> None:
    before = shared_state(_patient(status="inactive"))
    assert event_after_update(before, _patient()) is PatientReactivated


def test_event_data_is_the_contract_and_nothing_more() -> None:
    payload = patient_payload(PatientUpdated, _patient())
    assert event_type_of(payload) == "patient.updated"
    data = payload.to_data()
    validate_payload("patient.updated", data, allow_unknown_fields=False)
    assert data["fullName"] == "José García Núñez"
    assert data["birthDate"] == "1978-04-12"
    assert "notes" not in data
