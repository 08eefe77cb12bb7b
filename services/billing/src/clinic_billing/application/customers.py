"""Customers (payers): people, companies and insurers, and each patient's own customer.

A patient's customer is made on demand from billing's patient read model (name, tax id when
the document is one, postal address, email, phone, language) the first time someone bills
them; afterwards it is the front desk's to edit (another payer's address, an insurer), so
patient events never overwrite it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_billing.application.billable_sessions import recharge_uninvoiced
from clinic_billing.infrastructure import catalogue as stored_catalogue
from clinic_billing.infrastructure import customers as stored
from clinic_billing.infrastructure import read_models
from clinic_billing.infrastructure.customers import Customer, CustomerFields
from clinic_shared.clock import system_clock
from clinic_shared.db import reading, to_db
from clinic_shared.errors import ConflictError, ExpectedVersion, FieldError, NotFoundError
from clinic_shared.tax_ids import compact, parse_tax_id
from clinic_shared.text import fold

__all__ = [
    "Customer",
    "CustomerFields",
    "create_customer",
    "customer_for_patient",
    "delete_customer",
    "ensure_patient_customer",
    "get_customer",
    "search_customers",
    "update_customer",
]

PERSON = "person"
INSURER = "insurer"
SEARCH_NAME_LENGTH = 200  # the column's size
MAX_SEARCH_WORDS = 8
# Letters and digits of any script; punctuation and hyphens separate words ("García-Núñez").
_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of ``text``: what names are stored and searched by."""
    return _WORD.findall(fold(text))


def search_name(name: str) -> str:
    """The folded name as stored: its words, single-spaced, so a word prefix is `% word%`."""
    return " ".join(search_words(name))[:SEARCH_NAME_LENGTH]


def _existing(db: Session, customer_id: str, *, lock: bool = False) -> Customer:
    found = stored.get(db, customer_id, lock=lock)
    if found is None:
        raise NotFoundError(f"customer {customer_id} was not found")
    return found


def get_customer(db: Session, customer_id: UUID) -> Customer:
    """One customer with its outstanding balance; 404 if unknown."""
    with reading(db):
        return _existing(db, str(customer_id))


def search_customers(
    db: Session,
    *,
    q: str | None = None,
    kind: str | None = None,
    patient_id: UUID | None = None,
    offset: int = 0,
    limit: int = 16,
) -> list[Customer]:
    """Customers by name; ``q`` matches a prefix of every name word, or of the tax id."""
    words = search_words(q or "")
    if len(words) > MAX_SEARCH_WORDS:
        raise FieldError("q", f"can hold at most {MAX_SEARCH_WORDS} words")
    tax_id_prefix = compact(q or "")
    with reading(db):
        return stored.search(
            db,
            words=words,
            tax_id_prefix=tax_id_prefix if tax_id_prefix.isalnum() else None,
            kind=kind,
            patient_id=str(patient_id) if patient_id else None,
            offset=offset,
            limit=limit,
        )


def _checked(db: Session, fields: CustomerFields, customer_id: str | None) -> CustomerFields:
    """``fields`` with the tax id compacted, once the links to a patient or insurer hold."""
    tax_id = parse_tax_id(fields.tax_id, "taxId").number if fields.tax_id else None
    if fields.patient_id is not None:
        if fields.kind != PERSON:
            raise FieldError("patientId", "only a person can be a patient")
        # Locked: two requests giving the same patient a customer queue up (see ``_ensure``).
        if read_models.get_patient(db, fields.patient_id, lock=True) is None:
            raise FieldError("patientId", "billing does not know this patient")
        holder = stored.id_of_patient(db, fields.patient_id)
        if holder is not None and holder != customer_id:
            raise ConflictError(
                "This patient already has a customer.",
                field="patientId",
                message="the patient already has a customer",
                extra={"existingCustomerId": holder},
            )
    if fields.insurer_id is not None:
        if fields.kind != PERSON:
            raise FieldError("insurerId", "only a person's sessions are paid by an insurer")
        if fields.insurer_id == customer_id or stored.kind_of(db, fields.insurer_id) != INSURER:
            raise FieldError("insurerId", "must be an insurer customer")
    return replace(fields, tax_id=tax_id)


def create_customer(db: Session, fields: CustomerFields, now: datetime) -> Customer:
    """Add a customer at version 1; 422 for a bad tax id or link, 409 for a taken patient."""
    customer_id = str(uuid.uuid4())
    with db.begin():
        checked = _checked(db, fields, None)
        stored.add(db, customer_id, checked, search_name(checked.name), to_db(now))
        _recharge_sessions(db, None, checked)
        return _existing(db, customer_id)


def update_customer(
    db: Session, customer_id: UUID, fields: CustomerFields, expected: ExpectedVersion, now: datetime
) -> Customer:
    """Replace a customer's fields (If-Match checked)."""
    with db.begin():
        current = _existing(db, str(customer_id), lock=True)
        expected.check(current.version, "this customer")
        checked = _checked(db, fields, current.id)
        if current.kind == INSURER and checked.kind != INSURER:
            _refuse_if_insurer_in_use(db, current.id)
            stored_catalogue.replace_prices(db, current.id, [])  # only insurers agree prices
        stored.save(
            db, current.id, checked, search_name(checked.name), current.version + 1, to_db(now)
        )
        _recharge_sessions(db, current, checked)
        return _existing(db, current.id)


def _recharge_sessions(
    db: Session, before: CustomerFields | None, after: CustomerFields | None
) -> None:
    """Charge a patient's uninvoiced sessions again when who pays them changed."""
    was = (before.patient_id, before.insurer_id) if before else (None, None)
    now = (after.patient_id, after.insurer_id) if after else (None, None)
    if was == now:
        return
    for patient_id in {was[0], now[0]}:
        if patient_id is not None:
            recharge_uninvoiced(db, patient_id)


def _refuse_if_insurer_in_use(db: Session, insurer_id: str) -> None:
    """409 while a person is insured by it or an uninvoiced session names it as the payer."""
    insured = stored.insured_count(db, insurer_id)
    if insured:
        raise ConflictError(
            f"{insured} customer(s) have this insurer paying their sessions; change them first."
        )
    if stored.pays_uninvoiced_sessions(db, insurer_id):
        raise ConflictError("This insurer pays sessions not invoiced yet; invoice them first.")


def delete_customer(db: Session, customer_id: UUID) -> None:
    """Delete a customer without issued invoices (their drafts are discarded); else 409."""
    with db.begin():
        current = _existing(db, str(customer_id), lock=True)
        if stored.has_issued_invoices(db, current.id):
            raise ConflictError(
                "Invoices were issued to this customer: it is kept for the accounting records."
            )
        if current.kind == INSURER:
            _refuse_if_insurer_in_use(db, current.id)
        stored.discard_drafts(db, current.id)
        stored.remove(db, current.id)
        _recharge_sessions(db, current, None)


def _language(preferred_locale: str) -> str:
    return "en" if preferred_locale.startswith("en") else "es"


def _valid_tax_id(value: str | None) -> str | None:
    """The patient's document as a tax id when it is one (a passport number is not)."""
    if not value:
        return None
    try:
        return parse_tax_id(value).number
    except FieldError:
        return None


def _ensure(db: Session, patient_id: str, now: datetime) -> tuple[str, bool]:
    # The patient's row is locked first, so two requests making the same customer queue up.
    patient = read_models.get_patient(db, patient_id, lock=True)
    if patient is None:
        raise FieldError("patientId", "billing does not know this patient")
    existing = stored.id_of_patient(db, patient_id)
    if existing is not None:
        return existing, False
    fields = CustomerFields(
        kind=PERSON,
        name=patient.full_name,
        tax_id=_valid_tax_id(patient.tax_id),
        address=patient.address,
        postal_code=patient.postal_code,
        city=patient.city,
        province=patient.province,
        country=patient.country or "ES",
        email=patient.email,
        phone=patient.phone,
        language=_language(patient.preferred_locale),
        patient_id=patient_id,
    )
    customer_id = str(uuid.uuid4())
    stored.add(db, customer_id, fields, search_name(fields.name), to_db(now))
    return customer_id, True


def ensure_patient_customer(db: Session, patient_id: UUID, now: datetime | None = None) -> str:
    """The id of the patient's own customer, made from the read model when missing.

    Runs inside the caller's transaction; 422 ``patientId`` when billing does not know them.
    """
    customer_id, _created = _ensure(db, str(patient_id), now or system_clock())
    return customer_id


def customer_for_patient(db: Session, patient_id: UUID, now: datetime) -> tuple[Customer, bool]:
    """The patient's own customer and whether it was just made."""
    with db.begin():
        customer_id, created = _ensure(db, str(patient_id), now)
        return _existing(db, customer_id), created
