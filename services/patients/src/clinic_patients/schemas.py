"""Request and response bodies (camelCase on the wire); every rule names its field on failure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, EmailStr, StringConstraints

from clinic_patients import normalize, phones
from clinic_patients.models import Patient
from clinic_patients.tax_ids import MAX_TAX_ID_LENGTH, tax_id_problem
from clinic_shared.schemas import (
    CamelInput,
    CamelModel,
    MultiLine,
    OffsetDatetime,
    SingleLine,
    UtcDatetime,
    as_utc,
)

Sex = Literal["female", "male", "other"]
Locale = Literal["es", "en"]
PatientStatus = Literal["active", "inactive"]
DuplicateReason = Literal["taxId", "similarName"]
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _blank_to_none(value: Any) -> Any:
    # Forms send "" for an untouched optional field: that means "no value", not an error.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _person_name(value: str) -> str:
    value = normalize.collapse_spaces(value)
    if not normalize.has_letter(value):
        raise ValueError("must contain at least one letter")
    return value


def _tax_id(value: str) -> str:
    normalized = normalize.normalize_tax_id(value)
    problem = tax_id_problem(normalized)
    if problem:
        raise ValueError(problem)
    return normalized


def _phone(value: str) -> str:
    # Stored in E.164 whatever the spacing typed, so one number is always written one way.
    return phones.to_e164(value)


def _birth_date(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("cannot be in the future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValueError(f"cannot be before {EARLIEST_BIRTH_DATE.isoformat()}")
    return value


def _lower(value: str) -> str:
    return value.lower()


def _text_only(value: Any) -> Any:
    # JSON has no date type: a number would otherwise be read as a Unix timestamp.
    if not isinstance(value, str | date):
        raise ValueError("must be an ISO 8601 string")
    return value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


# Every text field refuses control, text-direction and zero-width characters (SingleLine);
# notes keep their line breaks and tabs (MultiLine).
Text100 = Annotated[
    SingleLine, StringConstraints(max_length=100), AfterValidator(normalize.collapse_spaces)
]
Text200 = Annotated[
    SingleLine, StringConstraints(max_length=200), AfterValidator(normalize.collapse_spaces)
]
Notes = Annotated[MultiLine, StringConstraints(max_length=2000)]
FirstName = Annotated[
    SingleLine, StringConstraints(min_length=1, max_length=50), AfterValidator(_person_name)
]
LastName = Annotated[
    SingleLine, StringConstraints(min_length=1, max_length=100), AfterValidator(_person_name)
]
# Room for separators before normalisation ("12.345.678-Z"), checked again after it.
TaxIdText = Annotated[SingleLine, StringConstraints(max_length=MAX_TAX_ID_LENGTH + 10)]
TaxId = Annotated[TaxIdText, AfterValidator(_tax_id)]
LooseTaxId = Annotated[TaxIdText, AfterValidator(normalize.normalize_tax_id)]
Phone = Annotated[SingleLine, StringConstraints(max_length=25), AfterValidator(_phone)]
Email = Annotated[EmailStr, StringConstraints(max_length=254), AfterValidator(_lower)]
BirthDate = Annotated[date, BeforeValidator(_text_only), AfterValidator(_birth_date)]
# With its offset (a consent without one is a 422, never silently UTC), years 1900–2200.
ConsentDatetime = Annotated[OffsetDatetime, BeforeValidator(_text_only), AfterValidator(as_utc)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), BeforeValidator(_upper)]
PostalCode = Annotated[
    str, StringConstraints(max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")
]
OptionalText100 = Annotated[Text100 | None, BeforeValidator(_blank_to_none)]
OptionalText200 = Annotated[Text200 | None, BeforeValidator(_blank_to_none)]
OptionalPhone = Annotated[Phone | None, BeforeValidator(_blank_to_none)]
OptionalTaxId = Annotated[TaxId | None, BeforeValidator(_blank_to_none)]
OptionalEmail = Annotated[Email | None, BeforeValidator(_blank_to_none)]
OptionalBirthDate = Annotated[BirthDate | None, BeforeValidator(_blank_to_none)]
OptionalConsent = Annotated[ConsentDatetime | None, BeforeValidator(_blank_to_none)]
OptionalNotes = Annotated[Notes | None, BeforeValidator(_blank_to_none)]


class AddressIn(CamelInput):
    """A postal address; every part optional, the country an ISO code (default Spain)."""

    street: OptionalText200 = None
    city: OptionalText100 = None
    postal_code: Annotated[PostalCode | None, BeforeValidator(_blank_to_none)] = None
    province: OptionalText100 = None
    country: Annotated[Country | None, BeforeValidator(_blank_to_none)] = "ES"


class EmergencyContactIn(CamelInput):
    """Whom to call in an emergency."""

    name: OptionalText100 = None
    phone: OptionalPhone = None


class PatientCreate(CamelInput):
    """A new patient: names are required, everything else optional."""

    first_name: FirstName
    last_name: LastName
    tax_id: OptionalTaxId = None
    birth_date: OptionalBirthDate = None
    sex: Sex | None = None
    email: OptionalEmail = None
    phone: OptionalPhone = None
    address: AddressIn | None = None
    occupation: OptionalText100 = None
    referral_source: OptionalText100 = None
    emergency_contact: EmergencyContactIn | None = None
    notes: OptionalNotes = None
    preferred_locale: Locale = "es"
    data_consent_at: OptionalConsent = None
    status: PatientStatus = "active"


class PatientUpdate(PatientCreate):
    """Full replacement of a patient's fields; ``status`` left out keeps the current one."""

    status: PatientStatus | None = None  # type: ignore[assignment]


class DuplicateCheck(CamelInput):
    """What the form knows before saving, to warn about a patient who may already exist."""

    first_name: FirstName
    last_name: LastName
    birth_date: OptionalBirthDate = None
    tax_id: Annotated[LooseTaxId | None, BeforeValidator(_blank_to_none)] = None
    exclude_id: Annotated[SingleLine | None, StringConstraints(max_length=36)] = None


class AddressPublic(CamelModel):
    """A postal address."""

    street: str | None
    city: str | None
    postal_code: str | None
    province: str | None
    country: str | None


class EmergencyContactPublic(CamelModel):
    """Whom to call in an emergency (the phone in E.164)."""

    name: str | None
    phone: str | None


class PatientPublic(CamelModel):
    """A patient as every screen shows them."""

    id: str
    first_name: str
    last_name: str
    full_name: str
    tax_id: str | None
    birth_date: date | None
    sex: Sex | None
    email: str | None
    # E.164 ("+34612345678") to dial and compare; grouped ("612 34 56 78") to read.
    phone: str | None
    phone_display: str | None
    address: AddressPublic | None
    occupation: str | None
    referral_source: str | None
    emergency_contact: EmergencyContactPublic | None
    # Beside, not inside, the contact: a GET's contact can be PUT back as it came.
    emergency_contact_phone_display: str | None
    notes: str | None
    preferred_locale: Locale
    data_consent_at: UtcDatetime | None
    status: PatientStatus
    last_visit_at: UtcDatetime | None
    next_appointment_at: UtcDatetime | None
    created_at: UtcDatetime
    updated_at: UtcDatetime
    version: int

    @classmethod
    def of(cls, patient: Patient) -> PatientPublic:
        """The public form of a stored patient."""
        return cls.model_validate(public_fields(patient))


class DuplicatePublic(CamelModel):
    """A patient who may be the same person as the one being saved."""

    id: str
    full_name: str
    birth_date: date | None
    tax_id: str | None


class DuplicateMatch(DuplicatePublic):
    """A possible duplicate and why: same tax id, or similar name (and same birth date)."""

    reason: DuplicateReason


class DuplicateMatches(CamelModel):
    """The answer of the duplicate check."""

    member: list[DuplicateMatch]


class PatientSaved(PatientPublic):
    """A patient just created or updated, with the patients it may duplicate."""

    possible_duplicates: list[DuplicatePublic]


class PatientStats(CamelModel):
    """The patients context's numbers for the dashboard."""

    total_patients: int
    active_patients: int
    new_patients_this_month: int


def public_fields(patient: Patient) -> dict[str, Any]:
    """``patient``'s columns shaped as ``PatientPublic`` (address and contact grouped)."""
    address = {
        "street": patient.address_street,
        "city": patient.address_city,
        "postal_code": patient.address_postal_code,
        "province": patient.address_province,
        "country": patient.address_country,
    }
    contact = {"name": patient.emergency_contact_name, "phone": patient.emergency_contact_phone}
    computed = {"full_name", "address", "emergency_contact"}
    computed |= {"phone_display", "emergency_contact_phone_display"}
    names = PatientPublic.model_fields.keys() - computed
    return {
        **{name: getattr(patient, name) for name in names},
        "full_name": patient.full_name,
        "phone_display": phones.grouped(patient.phone),
        "emergency_contact_phone_display": phones.grouped(patient.emergency_contact_phone),
        "address": address if any(v is not None for v in address.values()) else None,
        "emergency_contact": contact if any(v is not None for v in contact.values()) else None,
    }
