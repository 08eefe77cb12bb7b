"""The billing FastAPI app (``uvicorn --factory clinic_billing.main:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_billing.bootstrap import build_services
from clinic_billing.config import BillingSettings
from clinic_billing.entrypoints import (
    catalogue_api,
    customers_api,
    invoices_api,
    payments_api,
    pdf_api,
    reports_api,
    sessions_api,
    settings_api,
    testing_api,
)
from clinic_billing.entrypoints.consumers import build_consumer
from clinic_shared.app import create_service_app
from clinic_shared.auth import JwtVerifier

DESCRIPTION = (
    "Invoices Spanish law accepts: payers, the service catalogue, billable sessions from "
    "completed appointments, gapless numbers per series, rectifying invoices, the Verifactu "
    "hash chain and QR, PDFs, payments, the sales book, and invoice.* events."
)


def create_app(
    settings: BillingSettings | None = None, verifier: JwtVerifier | None = None
) -> FastAPI:
    """Build the billing app from ``settings`` (default: the environment).

    ``verifier`` defaults to one fetching identity's JWKS from ``settings.jwks_url``.
    """
    settings = settings or BillingSettings()
    services = build_services(settings)
    # reports_api first: its fixed paths (/api/invoices/number-gaps…) win over /{id}.
    routers = [
        reports_api.router,
        invoices_api.router,
        payments_api.router,
        pdf_api.router,
        customers_api.router,
        catalogue_api.router,
        sessions_api.router,
        settings_api.router,
        *([testing_api.router] if settings.is_test else []),
    ]
    return create_service_app(
        settings,
        title="Clinic billing",
        description=DESCRIPTION,
        routers=routers,
        services=services,
        consumer=lambda: build_consumer(services),
        verifier=verifier,
    )
