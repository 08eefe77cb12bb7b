"""Storage of the customers (payers): rows, search, balances, and what stands in a delete's way."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import (
    billable_sessions,
    customers,
    insurer_prices,
    invoice_lines,
    invoices,
)

ZERO = Decimal("0.00")
DRAFT = "draft"
UNINVOICED = "uninvoiced"
INVOICED = "invoiced"
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True, kw_only=True)
class CustomerFields:
    """What the front desk edits on a customer (ids as strings, tax id already compact)."""

    kind: str
    name: str
    tax_id: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    province: str | None = None
    country: str = "ES"
    email: str | None = None
    phone: str | None = None
    language: str = "es"
    patient_id: str | None = None
    insurer_id: str | None = None
    active: bool = True


@dataclass(frozen=True, kw_only=True)
class Customer(CustomerFields):
    """A stored customer, with its insurer's name and what its issued invoices still owe."""

    id: str
    version: int
    insurer_name: str | None = None
    outstanding: Decimal = ZERO


_FIELD_NAMES = tuple(CustomerFields.__dataclass_fields__)
_insurers = customers.alias("insurers")
_COLUMNS = (
    *(customers.c[name] for name in (*_FIELD_NAMES, "id", "version")),
    _insurers.c.name.label("insurer_name"),
)


def _select() -> Select[Any]:
    return select(*_COLUMNS).outerjoin(_insurers, _insurers.c.id == customers.c.insurer_id)


def _customer(row: Row[Any]) -> Customer:
    return Customer(**row._mapping)


def get(session: Session, customer_id: str, *, lock: bool = False) -> Customer | None:
    """One customer with its outstanding balance, or None; ``lock`` holds its row for a change."""
    if lock:
        # Lock the customer's own row only (not the insurer joined for its name).
        locked = select(customers.c.id).where(customers.c.id == customer_id).with_for_update()
        if session.execute(locked).first() is None:
            return None
    row = session.execute(_select().where(customers.c.id == customer_id)).first()
    if row is None:
        return None
    found = _customer(row)
    return replace(found, outstanding=outstanding_of(session, [found.id]).get(found.id, ZERO))


def id_of_patient(session: Session, patient_id: str) -> str | None:
    """The id of the patient's own customer, or None."""
    query = select(customers.c.id).where(customers.c.patient_id == patient_id)
    return session.execute(query).scalar()


def insurer_of_patient(session: Session, patient_id: str) -> str | None:
    """The insurer paying the patient's sessions (their customer's ``insurer_id``), or None."""
    query = select(customers.c.insurer_id).where(customers.c.patient_id == patient_id)
    return session.execute(query).scalar()


def kind_of(session: Session, customer_id: str) -> str | None:
    """The customer's kind (person, company, insurer), or None when unknown."""
    query = select(customers.c.kind).where(customers.c.id == customer_id)
    return session.execute(query).scalar()


def _values(fields: CustomerFields, search_name: str) -> dict[str, Any]:
    return {**asdict(fields), "search_name": search_name}


def add(
    session: Session, customer_id: str, fields: CustomerFields, search_name: str, now: datetime
) -> None:
    """Insert a customer at version 1 (``now`` naive UTC)."""
    session.execute(
        insert(customers).values(
            id=customer_id,
            version=1,
            created_at=now,
            updated_at=now,
            **_values(fields, search_name),
        )
    )


def save(
    session: Session,
    customer_id: str,
    fields: CustomerFields,
    search_name: str,
    version: int,
    now: datetime,
) -> None:
    """Write back a changed customer at ``version`` (already bumped by the caller)."""
    session.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(version=version, updated_at=now, **_values(fields, search_name))
    )


def bump_version(session: Session, customer_id: str, now: datetime) -> None:
    """Count a change made beside the row (an insurer's agreed prices) as a new version."""
    session.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(version=customers.c.version + 1, updated_at=now)
    )


def remove(session: Session, customer_id: str) -> None:
    """Delete the customer and, if an insurer, its agreed prices."""
    session.execute(delete(insurer_prices).where(insurer_prices.c.insurer_id == customer_id))
    session.execute(delete(customers).where(customers.c.id == customer_id))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _word_prefix(word: str) -> Any:
    """The folded name has a word starting with ``word`` (words are single-space separated)."""
    pattern = _escaped(word)
    column = customers.c.search_name
    return or_(
        column.like(f"{pattern}%", escape=_LIKE_ESCAPE),
        column.like(f"% {pattern}%", escape=_LIKE_ESCAPE),
    )


def search(
    session: Session,
    *,
    words: Sequence[str] = (),
    tax_id_prefix: str | None = None,
    kind: str | None = None,
    patient_id: str | None = None,
    offset: int = 0,
    limit: int = 16,
) -> list[Customer]:
    """Customers by folded name (then id) whose name words start with every one of ``words``
    or whose tax id starts with ``tax_id_prefix``; with their outstanding balances."""
    query = _select()
    matches = []
    if words:
        matches.append(and_(*(_word_prefix(word) for word in words)))
    if tax_id_prefix:
        matches.append(customers.c.tax_id.like(f"{_escaped(tax_id_prefix)}%", escape="\\"))
    if matches:
        query = query.where(or_(*matches))
    if kind is not None:
        query = query.where(customers.c.kind == kind)
    if patient_id is not None:
        query = query.where(customers.c.patient_id == patient_id)
    query = query.order_by(customers.c.search_name, customers.c.id).offset(offset).limit(limit)
    found = [_customer(row) for row in session.execute(query)]
    balances = outstanding_of(session, [c.id for c in found])
    return [replace(c, outstanding=balances.get(c.id, ZERO)) for c in found]


def outstanding_of(session: Session, customer_ids: Collection[str]) -> dict[str, Decimal]:
    """What each customer's issued invoices still owe: Σ (total − paid) over non-drafts."""
    if not customer_ids:
        return {}
    query = (
        select(
            invoices.c.customer_id,
            func.sum(invoices.c.total).label("total"),
            func.sum(invoices.c.paid).label("paid"),
        )
        .where(invoices.c.customer_id.in_(list(customer_ids)), invoices.c.status != DRAFT)
        .group_by(invoices.c.customer_id)
    )
    return {row.customer_id: row.total - row.paid for row in session.execute(query)}


def has_issued_invoices(session: Session, customer_id: str) -> bool:
    """Whether an invoice other than a draft was made out to the customer."""
    query = select(invoices.c.id).where(
        invoices.c.customer_id == customer_id, invoices.c.status != DRAFT
    )
    return session.execute(query.limit(1)).first() is not None


def discard_drafts(session: Session, customer_id: str) -> None:
    """Delete the customer's draft invoices and release the sessions they reserved."""
    drafts = list(
        session.execute(
            select(invoices.c.id)
            .where(invoices.c.customer_id == customer_id, invoices.c.status == DRAFT)
            # Locked like discard_draft does, so an issue of one of them waits or wins first.
            .with_for_update()
        ).scalars()
    )
    if not drafts:
        return
    session.execute(
        update(billable_sessions)
        .where(billable_sessions.c.invoice_id.in_(drafts), billable_sessions.c.status == INVOICED)
        .values(status=UNINVOICED, invoice_id=None)
    )
    session.execute(delete(invoice_lines).where(invoice_lines.c.invoice_id.in_(drafts)))
    session.execute(delete(invoices).where(invoices.c.id.in_(drafts)))


def insured_count(session: Session, insurer_id: str) -> int:
    """How many customers name ``insurer_id`` as the insurer paying their sessions."""
    query = select(func.count()).where(customers.c.insurer_id == insurer_id)
    return int(session.execute(query).scalar_one())


def pays_uninvoiced_sessions(session: Session, insurer_id: str) -> bool:
    """Whether an uninvoiced billable session names ``insurer_id`` as its payer."""
    query = select(billable_sessions.c.appointment_id).where(
        billable_sessions.c.payer_id == insurer_id, billable_sessions.c.status == UNINVOICED
    )
    return session.execute(query.limit(1)).first() is not None
