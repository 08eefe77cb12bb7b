"""Storage of the clinic's settings: the one row (id 1) naming the issuer of every invoice."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import clinic_settings

ROW_ID = 1


@dataclass(frozen=True, kw_only=True)
class ClinicSettings:
    """Who issues the invoices and how they look."""

    legal_name: str
    tax_id: str
    address: str
    email: str | None = None
    phone: str | None = None
    logo: str | None = None
    invoice_footer: str | None = None
    default_language: str = "es"
    verifactu_enabled: bool = True
    qr_environment: str = "production"
    version: int = 0


def get(session: Session, *, lock: bool = False) -> ClinicSettings | None:
    """The settings, or None before anyone set them; ``lock`` holds the row for a change."""
    query = select(clinic_settings).where(clinic_settings.c.id == ROW_ID)
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        return None
    values = dict(row._mapping)
    del values["id"]
    return ClinicSettings(**values)


def default_language(session: Session) -> str:
    """The language invoices and session descriptions use unless a customer has their own."""
    query = select(clinic_settings.c.default_language).where(clinic_settings.c.id == ROW_ID)
    return session.execute(query).scalar() or "es"


def save(session: Session, settings: ClinicSettings, *, first: bool) -> None:
    """Insert the row (``first``) or write it back (its version bumped by the caller)."""
    values = asdict(settings)
    if first:
        session.execute(insert(clinic_settings).values(id=ROW_ID, **values))
    else:
        session.execute(
            update(clinic_settings).where(clinic_settings.c.id == ROW_ID).values(**values)
        )
