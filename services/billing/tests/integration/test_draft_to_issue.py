"""The one-statement read before an issue gives what the separate reads give: the invoice with
its lines in order, the letterhead, and the customer as they are now (or none)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from clinic_billing.config import BillingSettings
from clinic_billing.infrastructure import draft_to_issue, parties
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure.tables import clinic_settings, customers

from .test_invoices_issue import LINE, customer, draft

pytestmark = pytest.mark.integration

PRODUCT = {"description": "Banda elástica", "quantity": "2", "unitPrice": "12.00", "vatRate": "21"}
DISCOUNTED = {**LINE, "description": "Bono de sesiones", "discountPercent": "10"}


@pytest.fixture
def client(
    each_database_settings: BillingSettings, client_factory: Callable[..., TestClient]
) -> TestClient:
    """The app on MariaDB, or on the embedded SQLite default (the same statement runs on both)."""
    return client_factory(each_database_settings)


def _both(api: Any, invoice_id: str) -> tuple[Any, Any]:
    with api.session() as db, db.begin():
        one_statement = draft_to_issue.read(db, uuid.UUID(invoice_id))
        separately = (
            repo.get(db, uuid.UUID(invoice_id)),
            parties.issuer(db),
        )
    return one_statement, separately


def test_a_draft_with_its_customer_reads_as_the_separate_reads_give_it(api: Any) -> None:
    customer_id = customer(api)
    created = draft(api, "F", customerId=customer_id, lines=[LINE, PRODUCT, DISCOUNTED])

    found, (record, issuer) = _both(api, created["id"])

    assert found is not None
    assert found.record == record
    assert [stored.line.description for stored in found.record.lines] == [
        "Sesión de fisioterapia",
        "Banda elástica",
        "Bono de sesiones",
    ]
    assert found.issuer == issuer is not None
    with api.session() as db, db.begin():
        assert found.customer == parties.customer(db, uuid.UUID(customer_id))
    assert found.customer is not None
    assert found.customer.party.tax_id == "12345678Z"


def test_a_draft_without_a_customer_or_whose_customer_is_gone_has_none(api: Any) -> None:
    anonymous = draft(api, "S")
    found, (record, _) = _both(api, anonymous["id"])
    assert found is not None
    assert found.record == record
    assert found.customer is None

    customer_id = customer(api)
    created = draft(api, "F", customerId=customer_id)
    with api.session() as db, db.begin():
        db.execute(delete(customers).where(customers.c.id == customer_id))
    found, (record, _) = _both(api, created["id"])
    assert found is not None
    assert found.customer is None
    assert found.record.customer.name == "José García Núñez"  # the draft's own copy


def test_no_letterhead_and_no_invoice_read_as_none(api: Any) -> None:
    created = draft(api)
    with api.session() as db, db.begin():
        db.execute(delete(clinic_settings))
    found, _ = _both(api, created["id"])
    assert found is not None
    assert found.issuer is None

    with api.session() as db, db.begin():
        assert draft_to_issue.read(db, uuid.uuid4()) is None
