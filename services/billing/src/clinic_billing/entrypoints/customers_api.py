"""Routes of billing's customers (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from clinic_billing.application import customers
from clinic_billing.entrypoints.deps import BillingUser, DbSession, IfMatch, ServicesDep
from clinic_billing.entrypoints.party_schemas import CustomerBody, CustomerKind, CustomerPublic
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["customers"])

SearchText = Annotated[
    str | None,
    Query(
        max_length=100,
        description="A prefix of every name word, accents and case ignored ('garc jos'), "
        "or of the tax id.",
    ),
]


def _fields(body: CustomerBody) -> customers.CustomerFields:
    values = body.model_dump(exclude={"patient_id", "insurer_id"})
    return customers.CustomerFields(
        **values,
        patient_id=str(body.patient_id) if body.patient_id else None,
        insurer_id=str(body.insurer_id) if body.insurer_id else None,
    )


def _one(customer: customers.Customer, response: Response) -> CustomerPublic:
    set_etag(response, customer.version)
    return CustomerPublic.model_validate(customer)


@router.get("/api/customers", response_model=Collection[CustomerPublic])
def list_customers(
    _user: BillingUser,
    db: DbSession,
    page: Page,
    request: Request,
    q: SearchText = None,
    kind: CustomerKind | None = None,
    patient_id: Annotated[UUID | None, Query(alias="patientId")] = None,
) -> Collection[CustomerPublic]:
    """Customers by name, with what they owe; `q` searches names and tax ids."""
    found = customers.search_customers(
        db, q=q, kind=kind, patient_id=patient_id, offset=page.offset, limit=page.fetch_limit
    )
    return page.collection([CustomerPublic.model_validate(c) for c in found], request)


@router.post("/api/customers", status_code=201, response_model=CustomerPublic)
def create_customer(
    body: CustomerBody, _user: BillingUser, db: DbSession, services: ServicesDep, response: Response
) -> CustomerPublic:
    """Add a customer: a person, a company or an insurer."""
    created = customers.create_customer(db, _fields(body), services.clock())
    response.headers["Location"] = f"/api/customers/{created.id}"
    return _one(created, response)


@router.post(
    "/api/customers/for-patient/{patient_id}",
    response_model=CustomerPublic,
    responses={201: {"model": CustomerPublic, "description": "Made just now"}},
)
def customer_for_patient(
    patient_id: UUID, _user: BillingUser, db: DbSession, services: ServicesDep, response: Response
) -> CustomerPublic:
    """The patient's own customer: 200 if it existed, 201 when made from the patient's data."""
    customer, created = customers.customer_for_patient(db, patient_id, services.clock())
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/api/customers/{customer.id}"
    return _one(customer, response)


@router.get("/api/customers/{customer_id}", response_model=CustomerPublic)
def get_customer(
    customer_id: UUID, _user: BillingUser, db: DbSession, response: Response
) -> CustomerPublic:
    """One customer, with the ETag a later PUT must send as If-Match."""
    return _one(customers.get_customer(db, customer_id), response)


@router.put("/api/customers/{customer_id}", response_model=CustomerPublic)
def update_customer(
    customer_id: UUID,
    body: CustomerBody,
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> CustomerPublic:
    """Replace a customer's fields (If-Match)."""
    changed = customers.update_customer(db, customer_id, _fields(body), expected, services.clock())
    return _one(changed, response)


@router.delete("/api/customers/{customer_id}", status_code=204)
def delete_customer(customer_id: UUID, _user: BillingUser, db: DbSession) -> Response:
    """Delete a customer no invoice was issued to (their drafts go too); else 409."""
    customers.delete_customer(db, customer_id)
    return Response(status_code=204)
