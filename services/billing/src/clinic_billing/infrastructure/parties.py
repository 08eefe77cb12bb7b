"""Who issues and who receives: the clinic's letterhead and a customer as an invoice prints them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from clinic_billing.domain.verifactu import Environment
from clinic_billing.infrastructure.tables import clinic_settings, customers

SETTINGS_ID = 1
HOME_COUNTRY = "ES"
# The letterhead's columns and nothing else: every draft and issue reads them, and the row's
# logo can be a quarter of a megabyte (pymysql also parses each column's description in Python).
ISSUER_COLUMNS = tuple(
    clinic_settings.c[name]
    for name in ("legal_name", "tax_id", "address", "default_language", "qr_environment")
)


@dataclass(frozen=True)
class Party:
    """The recipient as the invoice shows them (copied on the invoice, frozen at issue)."""

    name: str
    tax_id: str | None = None
    address: str | None = None
    email: str | None = None


NOBODY = Party(name="")


@dataclass(frozen=True)
class Customer:
    """A payer row, with its postal address composed into one printable line."""

    id: UUID
    kind: str
    party: Party
    # The street line alone: an ordinary invoice needs it (RD 1619/2012 art. 6.1.e).
    street: str | None
    language: str
    patient_id: UUID | None
    active: bool


@dataclass(frozen=True)
class Issuer:
    """The clinic as it issues invoices (IDEmisorFactura is its tax id)."""

    legal_name: str
    tax_id: str
    address: str
    default_language: str
    qr_environment: Environment


def _printed_address(row: Row[Any]) -> str | None:
    if not row.address:
        return None
    town = " ".join(part for part in (row.postal_code, row.city) if part)
    province = row.province if row.province and row.province != row.city else None
    country = row.country if row.country and row.country != HOME_COUNTRY else None
    return ", ".join(part for part in (row.address, town, province, country) if part)


def customer(session: Session, customer_id: UUID) -> Customer | None:
    """One customer, or None."""
    row = session.execute(select(customers).where(customers.c.id == str(customer_id))).first()
    return None if row is None else customer_of(row)


def customer_of(row: Row[Any]) -> Customer:
    """A ``customers`` row (or an object with its columns as attributes) as a customer."""
    return Customer(
        id=UUID(row.id),
        kind=row.kind,
        party=Party(row.name, row.tax_id, _printed_address(row), row.email),
        street=row.address,
        language=row.language,
        patient_id=UUID(row.patient_id) if row.patient_id else None,
        active=bool(row.active),
    )


def issuer(session: Session) -> Issuer | None:
    """The clinic's letterhead, or None before it was set up."""
    row = session.execute(
        select(*ISSUER_COLUMNS).where(clinic_settings.c.id == SETTINGS_ID)
    ).first()
    return None if row is None else issuer_of(row)


def issuer_of(row: Row[Any]) -> Issuer:
    """The ``ISSUER_COLUMNS`` of the settings row (or an object with them) as the issuer."""
    return Issuer(
        legal_name=row.legal_name,
        tax_id=row.tax_id,
        address=row.address,
        default_language=row.default_language,
        qr_environment=cast(Environment, row.qr_environment),
    )
