"""Events the billing service publishes on ``events.billing``.

Money travels as decimal strings with two places (``"45.00"``), never as JSON numbers, so no
consumer ever rounds it through a float. ``entityVersion`` is the invoice row's version after
the change, so a consumer keeping an invoice's state can ignore a late or redelivered event.
Dates are ISO-8601; ``number`` is the series letter, the year and six digits (``F2026000001``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from clinic_shared.contracts.base import EntityVersion, EventPayload

PRODUCER = "billing"
STREAM = "events.billing"

INVOICE_ISSUED = "invoice.issued"
INVOICE_RECTIFIED = "invoice.rectified"
PAYMENT_RECORDED = "payment.recorded"

Money = Field(pattern=r"^-?\d{1,10}\.\d{2}$")
InvoiceStatus = Literal["issued", "partially_paid", "paid"]

_EXAMPLE_INVOICE: dict[str, Any] = {
    "invoiceId": "3d6f0a9e-1b2c-4d5e-8f70-9a1b2c3d4e5f",
    "series": "F",
    "number": "F2026000001",
    "issuedOn": "2026-03-02",
    "customerId": "6a1e2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b",
    "customerName": "José García Núñez",
    "patientId": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
    "base": "90.00",
    "tax": "0.00",
    "total": "90.00",
    "status": "issued",
    "sessionIds": ["7c9e6679-7425-40de-944b-e07fc1f90ae7"],
    "entityVersion": 2,
}


class InvoiceData(EventPayload):
    """An issued invoice as other contexts may keep it (what a ledger or a report needs)."""

    invoice_id: UUID
    series: Literal["F", "S", "R"]
    number: str = Field(pattern=r"^[FSR]\d{10}$")
    issued_on: date
    customer_id: UUID | None
    customer_name: str = Field(min_length=1, max_length=200)
    patient_id: UUID | None
    base: str = Money
    tax: str = Money
    total: str = Money
    status: InvoiceStatus
    # The appointments (billable sessions) this invoice charges for.
    session_ids: list[UUID]
    entity_version: int | None = EntityVersion


class InvoiceIssued(InvoiceData):
    """``invoice.issued``: an ordinary or simplified invoice took its number."""

    EXAMPLE: ClassVar[dict[str, Any]] = _EXAMPLE_INVOICE


class InvoiceRectified(InvoiceData):
    """``invoice.rectified``: a rectifying invoice (series R) was issued for ``rectifiesId``."""

    rectifies_id: UUID
    rectifies_number: str = Field(pattern=r"^[FSR]\d{10}$")
    method: Literal["substitution", "differences"]
    reason_code: Literal["R1", "R2", "R3", "R4", "R5"]

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_INVOICE,
        "invoiceId": "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e",
        "series": "R",
        "number": "R2026000001",
        "issuedOn": "2026-03-05",
        "base": "-90.00",
        "total": "-90.00",
        "sessionIds": [],
        "rectifiesId": "3d6f0a9e-1b2c-4d5e-8f70-9a1b2c3d4e5f",
        "rectifiesNumber": "F2026000001",
        "method": "differences",
        "reasonCode": "R4",
    }


class PaymentRecorded(EventPayload):
    """``payment.recorded``: money received against an issued invoice."""

    payment_id: UUID
    invoice_id: UUID
    number: str = Field(pattern=r"^[FSR]\d{10}$")
    amount: str = Money
    method: Literal["cash", "card", "transfer", "bizum", "insurer"]
    paid_on: date
    # The invoice after this payment: what is still owed and its status.
    balance: str = Money
    status: InvoiceStatus
    entity_version: int | None = EntityVersion

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "paymentId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "invoiceId": "3d6f0a9e-1b2c-4d5e-8f70-9a1b2c3d4e5f",
        "number": "F2026000001",
        "amount": "40.00",
        "method": "card",
        "paidOn": "2026-03-02",
        "balance": "50.00",
        "status": "partially_paid",
        "entityVersion": 3,
    }


CONTRACTS: dict[str, type[EventPayload]] = {
    INVOICE_ISSUED: InvoiceIssued,
    INVOICE_RECTIFIED: InvoiceRectified,
    PAYMENT_RECORDED: PaymentRecorded,
}
