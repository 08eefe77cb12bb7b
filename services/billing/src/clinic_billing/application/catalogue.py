"""The service catalogue (admins change it) and the insurers' agreed prices.

VAT follows Ley 37/1992: physiotherapy by a licensed professional is exempt (rate 0 with the
``health_care`` exemption, art. 20.Uno.3º), anything else carries 21, 10 or 4 % and no
exemption. An item's price applies to sessions completed after it changed; sessions already
completed keep the price they were given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_billing.domain.totals import EXEMPTIONS, VAT_RATES
from clinic_billing.infrastructure import catalogue as stored
from clinic_billing.infrastructure import customers
from clinic_billing.infrastructure.catalogue import AgreedPrice, CatalogueItem
from clinic_shared.db import reading, to_db
from clinic_shared.errors import ConflictError, ExpectedVersion, FieldError, NotFoundError

__all__ = [
    "AgreedPrice",
    "CatalogueItem",
    "create_item",
    "get_item",
    "insurer_prices",
    "list_items",
    "replace_insurer_prices",
    "update_item",
]

INSURER = "insurer"
_RATES_TEXT = ", ".join(str(rate) for rate in sorted(VAT_RATES))


def check_tax(vat_rate: Decimal, exemption: str | None) -> None:
    """422 unless the rate is a Spanish one and an exemption comes exactly with rate 0."""
    if vat_rate not in VAT_RATES:
        raise FieldError("vatRate", f"must be one of {_RATES_TEXT}")
    if exemption is not None and exemption not in EXEMPTIONS:
        raise FieldError("exemption", f"must be one of {', '.join(sorted(EXEMPTIONS))}")
    if vat_rate == 0 and exemption is None:
        raise FieldError(
            "exemption", "a 0 % rate needs the health_care exemption (art. 20.Uno.3º Ley 37/1992)"
        )
    if vat_rate != 0 and exemption is not None:
        raise FieldError("exemption", "only a 0 % rate is exempt")


def _check_price(price: Decimal, field: str = "price") -> None:
    if price < 0:
        raise FieldError(field, "must not be negative")


def _check(session: Session, item: CatalogueItem) -> None:
    _check_price(item.price)
    check_tax(item.vat_rate, item.exemption)
    if item.appointment_type is not None:
        holder = stored.code_charging(session, item.appointment_type)
        if holder is not None and holder != item.code:
            raise ConflictError(
                f"{holder} already charges appointments of type {item.appointment_type!r}.",
                field="appointmentType",
                message=f"already charged by {holder}",
            )


def list_items(session: Session) -> list[CatalogueItem]:
    """Every item, by code."""
    with reading(session):
        return stored.all_items(session)


def _existing(session: Session, code: str, *, lock: bool = False) -> CatalogueItem:
    found = stored.get(session, code, lock=lock)
    if found is None:
        raise NotFoundError(f"catalogue item {code} was not found")
    return found


def get_item(session: Session, code: str) -> CatalogueItem:
    """One item; 404 if unknown."""
    with reading(session):
        return _existing(session, code.upper())


def create_item(session: Session, item: CatalogueItem) -> CatalogueItem:
    """Add an item at version 1; 409 if its code or appointment type is taken."""
    created = replace(item, code=item.code.upper(), version=1)
    with session.begin():
        if stored.get(session, created.code) is not None:
            raise ConflictError(
                f"catalogue item {created.code} already exists",
                field="code",
                message="is taken",
            )
        _check(session, created)
        try:
            stored.add(session, created)
        except IntegrityError:
            # Someone added the same code or type between the checks and this insert.
            raise ConflictError(f"catalogue item {created.code} was added meanwhile") from None
        return _existing(session, created.code)


def update_item(session: Session, item: CatalogueItem, expected: ExpectedVersion) -> CatalogueItem:
    """Replace an item's names, price, tax, appointment type and active flag (If-Match)."""
    with session.begin():
        current = _existing(session, item.code.upper(), lock=True)
        expected.check(current.version, "this catalogue item")
        changed = replace(item, code=current.code, version=current.version + 1)
        _check(session, changed)
        stored.save(session, changed)
        return _existing(session, current.code)


def _insurer(session: Session, customer_id: UUID, *, lock: bool = False) -> customers.Customer:
    found = customers.get(session, str(customer_id), lock=lock)
    if found is None:
        raise NotFoundError(f"customer {customer_id} was not found")
    return found


def insurer_prices(session: Session, customer_id: UUID) -> tuple[list[AgreedPrice], int]:
    """The customer's agreed prices (none unless an insurer) and the customer's version."""
    with reading(session):
        customer = _insurer(session, customer_id)
        return stored.prices_of(session, customer.id), customer.version


def replace_insurer_prices(
    session: Session,
    customer_id: UUID,
    prices: Sequence[AgreedPrice],
    expected: ExpectedVersion,
    now: datetime,
) -> tuple[list[AgreedPrice], int]:
    """Make ``prices`` the insurer's agreed prices (If-Match on the insurer; a new version)."""
    with session.begin():
        customer = _insurer(session, customer_id, lock=True)
        expected.check(customer.version, "this insurer")
        if customer.kind != INSURER:
            raise FieldError("customerId", "only an insurer has agreed prices")
        seen: set[str] = set()
        for index, agreed in enumerate(prices):
            _check_price(agreed.price, f"{index}.price")
            if agreed.service_code in seen:
                raise FieldError(f"{index}.serviceCode", "is listed twice")
            seen.add(agreed.service_code)
        known = stored.known_codes(session, seen)
        for index, agreed in enumerate(prices):
            if agreed.service_code not in known:
                raise FieldError(f"{index}.serviceCode", "is not a catalogue item")
        stored.replace_prices(session, customer.id, prices)
        customers.bump_version(session, customer.id, to_db(now))
        return stored.prices_of(session, customer.id), customer.version + 1
