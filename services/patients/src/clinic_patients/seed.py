"""The demo clinic's patients, never created in production."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clinic_patients.config import PatientsSettings
from clinic_patients.models import Base, Patient
from clinic_patients.schemas import PatientCreate
from clinic_patients.search.index import IndexedName
from clinic_patients.service import create_patient
from clinic_shared.errors import ConflictError
from clinic_shared.events.outbox import OutboxWriter


def _address(street: str, city: str, postal_code: str, province: str) -> dict[str, str]:
    return {"street": street, "city": city, "postalCode": postal_code, "province": province}


DEMO_PATIENTS: tuple[dict[str, Any], ...] = (
    {
        "firstName": "José",
        "lastName": "García Núñez",
        "taxId": "12345678Z",
        "birthDate": "1978-04-12",
        "sex": "male",
        "email": "jose.garcia@example.es",
        "phone": "+34 612 345 678",
        "address": _address("Calle de Alcalá 120, 3º B", "Madrid", "28009", "Madrid"),
        "occupation": "Profesor",
        "referralSource": "Médico de cabecera",
        "dataConsentAt": "2026-01-15T10:30:00Z",
    },
    {
        "firstName": "María del Carmen",
        "lastName": "Rodríguez López",
        "taxId": "48291537R",
        "birthDate": "1965-11-03",
        "sex": "female",
        "phone": "+34 654 987 321",
        "address": _address("Avenida de la Constitución 8", "Sevilla", "41001", "Sevilla"),
        "occupation": "Enfermera",
        "notes": "Prefiere citas por la tarde.",
        "dataConsentAt": "2026-02-02T09:00:00Z",
    },
    {
        "firstName": "Lucía",
        "lastName": "Fernández Martínez",
        "taxId": "50713942T",
        "birthDate": "1990-02-20",
        "sex": "female",
        "email": "lucia.fm@example.es",
        "phone": "611 223 344",
        "referralSource": "Instagram",
    },
    {
        "firstName": "Javier",
        "lastName": "Martínez Sánchez",
        "taxId": "71829364L",
        "birthDate": "1985-07-15",
        "sex": "male",
        "phone": "+34 699 112 233",
        "occupation": "Corredor de maratón",
        "referralSource": "Club de atletismo",
    },
    {
        "firstName": "Ana Belén",
        "lastName": "Gómez Pérez",
        "taxId": "33456127M",
        "birthDate": "1972-09-30",
        "sex": "female",
        "email": "anabelen.gomez@example.es",
        "phone": "622 334 455",
    },
    {
        "firstName": "Francisco Javier",
        "lastName": "Jiménez Ruiz",
        "taxId": "20987413M",
        "birthDate": "1958-01-08",
        "sex": "male",
        "phone": "+34 633 445 566",
        "occupation": "Jubilado",
    },
    {
        "firstName": "Carmen",
        "lastName": "Muñoz Álvarez",
        "taxId": "46123578E",
        "birthDate": "1949-06-21",
        "sex": "female",
        "phone": "+34 915 550 101",
        "status": "inactive",
        "notes": "Se ha mudado a Valencia.",
    },
    {
        "firstName": "Jordi",
        "lastName": "Puig i Ferrer",
        "taxId": "77441285D",
        "birthDate": "1981-12-02",
        "sex": "male",
        "email": "jordi.puig@example.cat",
        "phone": "+34 644 556 677",
        "address": _address("Carrer de Mallorca 401", "Barcelona", "08013", "Barcelona"),
        "preferredLocale": "en",
    },
    {
        "firstName": "Iker",
        "lastName": "Etxeberria Goikoetxea",
        "taxId": "39876542Q",
        "birthDate": "1995-03-17",
        "sex": "male",
        "phone": "688 990 011",
        "occupation": "Pelotari",
    },
    {
        "firstName": "Núria",
        "lastName": "Vidal Soler",
        "taxId": "52318790T",
        "birthDate": "1988-10-05",
        "sex": "female",
        "email": "nuria.vidal@example.cat",
        "phone": "+34 677 889 900",
    },
    {
        "firstName": "Óscar",
        "lastName": "Hernández Díaz",
        "taxId": "44556677L",
        "birthDate": "2001-05-25",
        "sex": "male",
        "phone": "655 443 322",
        "referralSource": "Seguro médico",
    },
    {
        "firstName": "Sofía",
        "lastName": "Romero Navarro",
        "birthDate": "2015-08-09",
        "sex": "female",
        "emergencyContact": {"name": "Laura Navarro (madre)", "phone": "+34 666 777 888"},
        "notes": "Menor: firma el consentimiento su madre.",
    },
    {
        "firstName": "Mohamed",
        "lastName": "El Amrani",
        "taxId": "X1234567L",
        "birthDate": "1983-02-14",
        "sex": "male",
        "phone": "+34 600 101 202",
        "occupation": "Cocinero",
    },
    {
        "firstName": "Elena",
        "lastName": "Castro Iglesias",
        "taxId": "Y7654321G",
        "birthDate": "1976-07-01",
        "sex": "female",
        "email": "elena.castro@example.es",
        "phone": "+34 620 304 050",
    },
    {
        "firstName": "Ángel",
        "lastName": "Ortega Delgado",
        "birthDate": "1969-11-11",
        "sex": "male",
        "phone": "+44 20 7946 0958",
        "preferredLocale": "en",
        "notes": "Pasaporte británico; reside en Málaga.",
    },
)


def seed_demo(db: Session, events: OutboxWriter, settings: PatientsSettings) -> list[str]:
    """Register the demo patients that are missing (idempotent); returns the names created."""
    if settings.app_env == "prod":
        raise RuntimeError("the demo patients are never created in production")
    created: list[str] = []
    for demo in DEMO_PATIENTS:
        data = PatientCreate.model_validate({"dataConsentAt": None, **demo})
        name = IndexedName.of(data.first_name, data.last_name)
        with db.begin():
            exists = db.execute(
                select(Patient.id).where(
                    Patient.name_key == name.name_key,
                    Patient.birth_date == data.birth_date,
                )
            ).first()
        if exists:
            continue
        try:
            create_patient(db, events, data)
        except ConflictError:  # created meanwhile by a concurrent seed: fine
            continue
        created.append(f"{data.first_name} {data.last_name}")
    return created


def empty_database(db: Session) -> None:
    """Delete every row the patients service owns, idempotency keys included (test resets)."""
    with db.begin():
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(delete(table))
