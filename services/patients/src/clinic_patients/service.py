"""Use cases of the patient registry: one explicit transaction each, change and event together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clinic_patients.duplicates import Duplicate, find_duplicates
from clinic_patients.models import Patient
from clinic_patients.normalize import phone_digits
from clinic_patients.patient_events import emit_patient_event, event_after_update, shared_state
from clinic_patients.schemas import DuplicateCheck, PatientCreate, PatientUpdate
from clinic_patients.search import search_patient_ids
from clinic_patients.search.index import IndexedName, add_to_index, reindex
from clinic_patients.visits import refresh_if_passed
from clinic_shared.clock import utcnow
from clinic_shared.contracts.patients import PatientRegistered
from clinic_shared.errors import ConflictError, ExpectedVersion, NotFoundError, StaleVersionError
from clinic_shared.events.outbox import OutboxWriter

_THIS_PATIENT = "this patient"  # what a 412 says someone else changed


@dataclass(frozen=True)
class SavedPatient:
    """A patient just written, and the patients they may duplicate."""

    patient: Patient
    duplicates: list[Duplicate]


@dataclass(frozen=True)
class PatientCounts:
    """The dashboard's numbers."""

    total: int
    active: int
    new_this_month: int


def not_found() -> NotFoundError:
    """The 404 of an unknown patient id."""
    return NotFoundError("No patient has this id.")


def _tax_id_taken(owner_id: str) -> ConflictError:
    return ConflictError(
        "A patient with this tax id is already registered.",
        field="taxId",
        message="is already registered for another patient",
        extra={"existingPatientId": owner_id},
    )


def _tax_id_owner(db: Session, tax_id: str | None, exclude_id: str | None = None) -> str | None:
    if not tax_id:
        return None
    query = select(Patient.id).where(Patient.tax_id == tax_id)
    if exclude_id is not None:
        query = query.where(Patient.id != exclude_id)
    return db.scalar(query)


def _owner_after_race(db: Session, tax_id: str | None, exclude_id: str | None = None) -> str | None:
    # Two receptionists registering the same document at once: the unique index decided.
    with db.begin():
        return _tax_id_owner(db, tax_id, exclude_id)


def _version_after_race(db: Session, patient_id: str) -> int:
    # The version check passed under the row lock, yet the UPDATE found another version.
    with db.begin():
        return db.scalar(select(Patient.version).where(Patient.id == patient_id)) or 0


def patient_columns(data: PatientCreate) -> dict[str, Any]:
    """The ``patients`` columns a create/update body sets (names' derived columns aside)."""
    address, contact, consent = data.address, data.emergency_contact, data.data_consent_at
    return {
        "first_name": data.first_name,
        "last_name": data.last_name,
        "tax_id": data.tax_id,
        "birth_date": data.birth_date,
        "sex": data.sex,
        "email": data.email,
        "phone": data.phone,
        "phone_digits": None if data.phone is None else phone_digits(data.phone),
        "address_street": address.street if address else None,
        "address_city": address.city if address else None,
        "address_postal_code": address.postal_code if address else None,
        "address_province": address.province if address else None,
        "address_country": address.country if address else None,
        "occupation": data.occupation,
        "referral_source": data.referral_source,
        "emergency_contact_name": contact.name if contact else None,
        "emergency_contact_phone": contact.phone if contact else None,
        "notes": data.notes,
        "preferred_locale": data.preferred_locale,
        "data_consent_at": None if consent is None else consent.replace(tzinfo=None),
    }


def _assign(patient: Patient, data: PatientCreate) -> IndexedName:
    for column, value in patient_columns(data).items():
        setattr(patient, column, value)
    name = IndexedName.of(patient.first_name, patient.last_name)
    patient.name_key = name.name_key
    return name


def create_patient(db: Session, events: OutboxWriter, data: PatientCreate) -> SavedPatient:
    """Register a patient and its ``patient.registered`` event; 409 if the tax id is taken."""
    now = utcnow()
    try:
        with db.begin():
            owner = _tax_id_owner(db, data.tax_id)
            if owner:
                raise _tax_id_taken(owner)
            patient = Patient(id=str(uuid.uuid4()), status=data.status)
            patient.created_at = patient.updated_at = now
            name = _assign(patient, data)
            db.add(patient)
            db.flush()
            add_to_index(db, patient.id, name, patient.active)
            emit_patient_event(db, events, PatientRegistered, patient)
            duplicates = find_duplicates(db, name, patient.birth_date, None, patient.id)
    except IntegrityError as exc:
        owner = _owner_after_race(db, data.tax_id)
        if owner:
            raise _tax_id_taken(owner) from exc
        raise
    return SavedPatient(patient, duplicates)


def get_patient(db: Session, patient_id: str) -> Patient:
    """The patient with ``patient_id``, or 404."""
    with db.begin():
        patient = db.get(Patient, patient_id, populate_existing=True)
        if patient is not None and refresh_if_passed(db, patient):
            db.refresh(patient)
    if patient is None:
        raise not_found()
    return patient


def update_patient(
    db: Session,
    events: OutboxWriter,
    patient_id: str,
    data: PatientUpdate,
    expected: ExpectedVersion,
) -> SavedPatient:
    """Replace a patient's fields (If-Match required); a status change emits its own event."""
    now = utcnow()
    try:
        with db.begin():
            patient = db.get(Patient, patient_id, with_for_update=True, populate_existing=True)
            if patient is None:
                raise not_found()
            expected.check(patient.version, _THIS_PATIENT)
            owner = _tax_id_owner(db, data.tax_id, exclude_id=patient.id)
            if owner:
                raise _tax_id_taken(owner)
            before = shared_state(patient)
            indexed_before = (IndexedName(patient.name_key), patient.active)
            name = _assign(patient, data)
            patient.status = data.status or patient.status
            if db.is_modified(patient):
                patient.updated_at = now
            db.flush()
            reindex(db, patient.id, indexed_before, (name, patient.active))
            event = event_after_update(before, patient)
            if event is not None:
                emit_patient_event(db, events, event, patient)
            duplicates = find_duplicates(db, name, patient.birth_date, None, patient.id)
    except StaleDataError as exc:
        raise StaleVersionError(_version_after_race(db, patient_id), _THIS_PATIENT) from exc
    except IntegrityError as exc:
        owner = _owner_after_race(db, data.tax_id, exclude_id=patient_id)
        if owner:
            raise _tax_id_taken(owner) from exc
        raise
    return SavedPatient(patient, duplicates)


def list_patients(
    db: Session,
    *,
    search: str | None,
    fuzzy: bool,
    status: str | None,
    offset: int,
    limit: int,
) -> list[Patient]:
    """Patients by surname and first name, or ranked by relevance to ``search``."""
    with db.begin():
        if search and search.strip():
            ids = search_patient_ids(
                db.connection(), search, fuzzy=fuzzy, status=status, offset=offset, limit=limit
            )
            if not ids:
                return []
            found = {p.id: p for p in db.scalars(select(Patient).where(Patient.id.in_(ids)))}
            return [found[patient_id] for patient_id in ids if patient_id in found]
        query = select(Patient).order_by(Patient.name_key, Patient.id).offset(offset).limit(limit)
        if status is not None:
            query = query.where(Patient.status == status)
        return list(db.scalars(query))


def check_duplicates(db: Session, data: DuplicateCheck) -> list[Duplicate]:
    """Patients who may be the one described (for the form, before it saves)."""
    name = IndexedName.of(data.first_name, data.last_name)
    with db.begin():
        return find_duplicates(db, name, data.birth_date, data.tax_id, data.exclude_id)


def stats(db: Session, now: datetime | None = None) -> PatientCounts:
    """All patients, active ones, and those registered since the 1st of this month (UTC)."""
    now = now or utcnow()
    month_start = datetime(now.year, now.month, 1)
    with db.begin():
        by_status = dict(
            db.execute(select(Patient.status, func.count()).group_by(Patient.status)).tuples().all()
        )
        new = db.scalar(
            select(func.count()).select_from(Patient).where(Patient.created_at >= month_start)
        )
    return PatientCounts(
        total=sum(by_status.values()), active=by_status.get("active", 0), new_this_month=new or 0
    )
