"""Events the patients service publishes on ``events.patients``.

Every patient event carries the patient's full shared state, so a consumer can upsert its
read model from any single event; ``entityVersion`` (the patient row's version) says which of
two states is newer, so a late or redelivered event never overwrites a newer one. ``status``
tells whether the patient is active; a deactivated patient keeps their history and may be
reactivated later (clinical retention law forbids deleting one, so there is no
``patient.deleted``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from clinic_shared.contracts.base import EntityVersion, EventPayload

PRODUCER = "patients"
STREAM = "events.patients"

PATIENT_REGISTERED = "patient.registered"
PATIENT_UPDATED = "patient.updated"
PATIENT_DEACTIVATED = "patient.deactivated"
PATIENT_REACTIVATED = "patient.reactivated"

_EXAMPLE_PATIENT: dict[str, Any] = {
    "patientId": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
    "firstName": "José",
    "lastName": "García Núñez",
    "fullName": "José García Núñez",
    "taxId": "12345678Z",
    "birthDate": "1978-04-12",
    "phone": "+34612345678",
    "email": "jose.garcia@example.es",
    "status": "active",
    "preferredLocale": "es",
    "address": {
        "street": "Calle de Alcalá 120, 3º B",
        "city": "Madrid",
        "postalCode": "28009",
        "province": "Madrid",
        "country": "ES",
    },
    "entityVersion": 1,
}


class PostalAddress(EventPayload):
    """Where the patient lives (billing prints it on an ordinary invoice); parts may be empty."""

    street: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=10)
    province: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, max_length=2)


class PatientData(EventPayload):
    """A patient's state as other contexts may keep it (names, contact, identity document)."""

    patient_id: UUID
    first_name: str = Field(min_length=1, max_length=50)
    last_name: str = Field(min_length=1, max_length=100)
    full_name: str = Field(min_length=1, max_length=151)
    # Normalised: upper case, no spaces or hyphens (a DNI/NIE, or another document as given).
    tax_id: str | None = Field(max_length=20)
    birth_date: date | None
    # E.164 ("+34612345678") since 2026-12; a number stored earlier that could not be read is
    # as it was typed.
    phone: str | None = Field(max_length=25)
    email: str | None = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    status: Literal["active", "inactive"]
    preferred_locale: str = Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    # Added 2026-12 for billing; absent in older events (consumers keep what they had: None).
    address: PostalAddress | None = None
    # The patient row's version after this change (see ``base.EntityVersion``).
    entity_version: int | None = EntityVersion


class PatientRegistered(PatientData):
    """``patient.registered``: a new patient exists."""

    EXAMPLE: ClassVar[dict[str, Any]] = _EXAMPLE_PATIENT


class PatientUpdated(PatientData):
    """``patient.updated``: names, document, birth date, contact or locale changed."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_PATIENT,
        "phone": "+34699000111",
        "email": None,
        "preferredLocale": "en",
        "entityVersion": 2,
    }


class PatientDeactivated(PatientData):
    """``patient.deactivated``: no new appointments or invoices; the history stays."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_PATIENT,
        "status": "inactive",
        "entityVersion": 3,
    }


class PatientReactivated(PatientData):
    """``patient.reactivated``: an inactive patient is active again."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_PATIENT,
        "taxId": None,
        "birthDate": None,
        "entityVersion": 4,
    }


CONTRACTS: dict[str, type[EventPayload]] = {
    PATIENT_REGISTERED: PatientRegistered,
    PATIENT_UPDATED: PatientUpdated,
    PATIENT_DEACTIVATED: PatientDeactivated,
    PATIENT_REACTIVATED: PatientReactivated,
}
