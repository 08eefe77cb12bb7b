"""Storage of the service catalogue and of the insurers' agreed prices."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import catalogue, insurer_prices


@dataclass(frozen=True, kw_only=True)
class CatalogueItem:
    """What the clinic charges for: price, VAT rate (percent) and exemption, per item."""

    code: str
    name_es: str
    name_en: str
    price: Decimal
    vat_rate: Decimal
    exemption: str | None = None
    appointment_type: str | None = None
    active: bool = True
    version: int = 1


@dataclass(frozen=True)
class AgreedPrice:
    """An insurer's price for one catalogue item."""

    service_code: str
    price: Decimal


def _item(row: Any) -> CatalogueItem:
    return CatalogueItem(**row._mapping)


def all_items(session: Session) -> list[CatalogueItem]:
    """Every item, by code."""
    return [_item(row) for row in session.execute(select(catalogue).order_by(catalogue.c.code))]


def get(session: Session, code: str, *, lock: bool = False) -> CatalogueItem | None:
    """One item, or None; ``lock`` holds it for a change."""
    query = select(catalogue).where(catalogue.c.code == code)
    row = session.execute(query.with_for_update() if lock else query).first()
    return _item(row) if row else None


def code_charging(session: Session, appointment_type: str) -> str | None:
    """The code of the item (active or not) that charges ``appointment_type``, or None."""
    query = select(catalogue.c.code).where(catalogue.c.appointment_type == appointment_type)
    return session.execute(query).scalar()


def active_item_charging(session: Session, appointment_type: str) -> CatalogueItem | None:
    """The active item that charges completed appointments of ``appointment_type``."""
    query = select(catalogue).where(
        catalogue.c.appointment_type == appointment_type, catalogue.c.active.is_(True)
    )
    row = session.execute(query).first()
    return _item(row) if row else None


def add(session: Session, item: CatalogueItem) -> None:
    """Insert a new item (at its ``version``)."""
    session.execute(insert(catalogue).values(**asdict(item)))


def save(session: Session, item: CatalogueItem) -> None:
    """Write back a changed item (its version already bumped by the caller)."""
    values = asdict(item)
    code = values.pop("code")
    session.execute(update(catalogue).where(catalogue.c.code == code).values(**values))


def known_codes(session: Session, codes: Collection[str]) -> set[str]:
    """Which of ``codes`` are catalogue items."""
    if not codes:
        return set()
    query = select(catalogue.c.code).where(catalogue.c.code.in_(list(codes)))
    return set(session.execute(query).scalars())


def prices_of(session: Session, insurer_id: str) -> list[AgreedPrice]:
    """The insurer's agreed prices, by service code."""
    query = (
        select(insurer_prices.c.service_code, insurer_prices.c.price)
        .where(insurer_prices.c.insurer_id == insurer_id)
        .order_by(insurer_prices.c.service_code)
    )
    return [AgreedPrice(row.service_code, row.price) for row in session.execute(query)]


def has_agreed_prices(session: Session, insurer_id: str) -> bool:
    """Whether the insurer has any agreed price."""
    query = select(insurer_prices.c.service_code).where(insurer_prices.c.insurer_id == insurer_id)
    return session.execute(query.limit(1)).first() is not None


def agreed_price(session: Session, insurer_id: str, code: str) -> Decimal | None:
    """The insurer's price for ``code``, or None when none was agreed."""
    query = select(insurer_prices.c.price).where(
        insurer_prices.c.insurer_id == insurer_id, insurer_prices.c.service_code == code
    )
    price: Decimal | None = session.execute(query).scalar()
    return price


def replace_prices(session: Session, insurer_id: str, prices: Sequence[AgreedPrice]) -> None:
    """Make ``prices`` the insurer's whole list of agreed prices."""
    session.execute(delete(insurer_prices).where(insurer_prices.c.insurer_id == insurer_id))
    if prices:
        session.execute(
            insert(insurer_prices),
            [
                {"insurer_id": insurer_id, "service_code": p.service_code, "price": p.price}
                for p in prices
            ],
        )
