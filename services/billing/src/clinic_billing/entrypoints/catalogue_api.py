"""Routes of billing's catalogue and insurers' prices (admins change them; practitioners 403)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from clinic_billing.application import catalogue
from clinic_billing.entrypoints.deps import AdminUser, BillingUser, DbSession, IfMatch, ServicesDep
from clinic_billing.entrypoints.party_schemas import (
    AgreedPricePublic,
    AgreedPrices,
    CatalogueItemBody,
    CatalogueItemCreate,
    CatalogueItemPublic,
    CatalogueList,
)
from clinic_shared.etags import set_etag

router = APIRouter(tags=["catalogue"])


def _one(item: catalogue.CatalogueItem, response: Response) -> CatalogueItemPublic:
    set_etag(response, item.version)
    return CatalogueItemPublic.model_validate(item)


def _prices(
    found: tuple[list[catalogue.AgreedPrice], int], response: Response
) -> list[AgreedPricePublic]:
    prices, version = found
    set_etag(response, version)  # the insurer's version: a PUT of prices sends it as If-Match
    return [AgreedPricePublic.model_validate(p) for p in prices]


@router.get("/api/catalogue", response_model=CatalogueList)
def list_catalogue(_user: BillingUser, db: DbSession) -> CatalogueList:
    """Every catalogue item, by code (a clinic has tens: no pages)."""
    items = catalogue.list_items(db)
    return CatalogueList(member=[CatalogueItemPublic.model_validate(i) for i in items])


@router.post("/api/catalogue", status_code=201, response_model=CatalogueItemPublic)
def create_catalogue_item(
    body: CatalogueItemCreate, _user: AdminUser, db: DbSession, response: Response
) -> CatalogueItemPublic:
    """Add a catalogue item (admins); VAT 0 needs the health_care exemption."""
    created = catalogue.create_item(db, catalogue.CatalogueItem(**body.model_dump()))
    response.headers["Location"] = f"/api/catalogue/{created.code}"
    return _one(created, response)


@router.get("/api/catalogue/{code}", response_model=CatalogueItemPublic)
def get_catalogue_item(
    code: str, _user: BillingUser, db: DbSession, response: Response
) -> CatalogueItemPublic:
    """One catalogue item (its ETag is needed to change it)."""
    return _one(catalogue.get_item(db, code), response)


@router.put("/api/catalogue/{code}", response_model=CatalogueItemPublic)
def update_catalogue_item(
    code: str,
    body: CatalogueItemBody,
    _user: AdminUser,
    db: DbSession,
    response: Response,
    expected: IfMatch,
) -> CatalogueItemPublic:
    """Change a catalogue item (admins, If-Match); sessions already completed keep their price."""
    item = catalogue.CatalogueItem(code=code, **body.model_dump())
    return _one(catalogue.update_item(db, item, expected), response)


@router.get("/api/customers/{customer_id}/prices", response_model=list[AgreedPricePublic])
def get_insurer_prices(
    customer_id: UUID, _user: BillingUser, db: DbSession, response: Response
) -> list[AgreedPricePublic]:
    """An insurer's agreed prices (empty for other customers); the ETag is the insurer's."""
    return _prices(catalogue.insurer_prices(db, customer_id), response)


@router.put("/api/customers/{customer_id}/prices", response_model=list[AgreedPricePublic])
def replace_insurer_prices(
    customer_id: UUID,
    body: AgreedPrices,
    _user: AdminUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> list[AgreedPricePublic]:
    """Replace an insurer's agreed prices (admins, If-Match of the insurer's version)."""
    prices = [catalogue.AgreedPrice(p.service_code, p.price) for p in body]
    replaced = catalogue.replace_insurer_prices(db, customer_id, prices, expected, services.clock())
    return _prices(replaced, response)
