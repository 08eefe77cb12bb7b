"""The search by name through its word index finds exactly what the plain definition finds —
every search word begins a word of the folded name, newest first — on MariaDB and SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clinic_billing.application.invoicing import DraftRequest, compose
from clinic_billing.config import BillingSettings
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_billing.infrastructure import invoice_name_search as name_search
from clinic_billing.infrastructure import invoices as repo
from clinic_billing.infrastructure.invoice_name_search import begins_a_word
from clinic_billing.infrastructure.parties import Party
from clinic_billing.infrastructure.tables import invoice_name_words, invoices
from clinic_shared.text import fold

pytestmark = pytest.mark.integration

LINE = InvoiceLine("Sesión", Decimal(1), Decimal(40), Decimal(0), exemption=HEALTH_CARE)
# Two words a search word begins ("fer": ferrer and fernandez), shared first names, accents,
# an anonymous invoice, and 22 surnames beginning "zal": too many completions to lead.
NAMES = [
    "María Isabel Ferrer Fernández",
    "Fernando Ruiz Gil",
    "Ana Fernández López",
    "Ana María García",
    "José García Núñez",
    "Íñigo Ferrán",
    "",
    *(f"Paco Zal{chr(97 + n)}bide" for n in range(22)),
]
SEARCHES = [
    "fer", "FERNÁNDEZ", "ana", "ana garcia", "garcia ana", "maria fer", "jose nun", "iñigo",
    "zal", "paco zal", "zalcb", "paco", "fernando ruiz", "ruiz fernando", "gil", "nobody",
    "fer fer", "a",
]  # fmt: skip


@pytest.fixture
def search_client(
    each_database_settings: BillingSettings, client_factory: Callable[..., TestClient]
) -> TestClient:
    return client_factory(each_database_settings)


def _issue_named(client: TestClient, headers: dict[str, str], names: list[str]) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    ids = []
    with services.new_session() as db, db.begin():
        for name in names:
            draft = compose(
                db,
                uuid.uuid4(),
                DraftRequest(series="S", lines=(LINE,)),
                [],
                zone=ZoneInfo("Europe/Madrid"),
                version=1,
            )
            repo.add_draft(db, replace(draft, customer=Party(name=name)), None)
            ids.append(draft.id)
    for invoice_id in ids:
        response = client.post(
            f"/api/invoices/{invoice_id}/issue", headers={**headers, "If-Match": '"1"'}
        )
        assert response.status_code == 200, response.text


def _expected(client: TestClient, q: str) -> list[str]:
    """The plain definition: every word begins a word of the name, newest first."""
    services = client.app.state.services  # type: ignore[attr-defined]
    words = fold(q).split()
    query = (
        select(invoices.c.id)
        .where(
            invoices.c.issued_at.is_not(None),
            *(begins_a_word(invoices.c.customer_search, word) for word in words),
        )
        .order_by(invoices.c.issued_at.desc(), invoices.c.created_at.desc(), invoices.c.id.desc())
    )
    with services.new_session() as db, db.begin():
        return list(db.scalars(query))


def _listed(client: TestClient, headers: dict[str, str], q: str, per_page: int) -> list[str]:
    found: list[str] = []
    page = 1
    while True:
        response = client.get(
            "/api/invoices",
            params={"q": q, "page": page, "itemsPerPage": per_page},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        members = [member["id"] for member in response.json()["member"]]
        found += members
        if len(members) < per_page:
            return found
        page += 1


def test_every_name_search_pages_through_what_the_plain_definition_finds(
    search_client: TestClient, api_headers: dict[str, str]
) -> None:
    # Twice over: several invoices per name, so pages and the list's order matter.
    _issue_named(search_client, api_headers, NAMES + NAMES)
    for q in SEARCHES:
        expected = _expected(search_client, q)
        for per_page in (3, 100):
            assert _listed(search_client, api_headers, q, per_page) == expected, (q, per_page)
    assert len(_expected(search_client, "fer")) == 8  # each name once, though two words match
    assert _expected(search_client, "zal") != []


def test_each_issued_name_word_is_indexed_once_in_the_list_order(
    search_client: TestClient, api_headers: dict[str, str]
) -> None:
    _issue_named(search_client, api_headers, ["Ana Ana López", ""])
    services = search_client.app.state.services  # type: ignore[attr-defined]
    with services.new_session() as db, db.begin():
        rows = db.execute(select(invoice_name_words)).all()
        invoice = db.execute(select(invoices).where(invoices.c.customer_search != "")).one()
    assert sorted(row.word for row in rows) == ["ana", "lopez"]
    assert {(row.issued_at, row.created_at, row.invoice_id) for row in rows} == {
        (invoice.issued_at, invoice.created_at, invoice.id)
    }
    assert {row.customer_search for row in rows} == {"ana ana lopez"}


def test_the_leading_word_is_the_one_on_fewer_invoices(
    search_client: TestClient, api_headers: dict[str, str]
) -> None:
    # "paco" is on 22 names, "zalcbide" on one: the rarer leads, whichever is typed first
    # (on MariaDB by the optimizer's estimate, on SQLite by counting).
    _issue_named(search_client, api_headers, NAMES)
    services = search_client.app.state.services  # type: ignore[attr-defined]
    completions = {"paco": ["paco"], "zalcb": ["zalcbide"]}
    with services.new_session() as db, db.begin():
        assert name_search._rarest(db, ["paco", "zalcb"], completions) == "zalcb"
        assert name_search._rarest(db, ["zalcb", "paco"], completions) == "zalcb"
