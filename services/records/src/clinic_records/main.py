"""The records FastAPI app (``uvicorn --factory clinic_records.main:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_records.bootstrap import build_services
from clinic_records.config import RecordsSettings
from clinic_records.entrypoints import (
    audit_api,
    episodes_api,
    history_api,
    measures_api,
    records_api,
    testing_api,
)
from clinic_records.entrypoints.consumers import build_consumer
from clinic_records.entrypoints.replay_caller import NoteRetryingCaller
from clinic_shared.app import create_service_app
from clinic_shared.auth import JwtVerifier

DESCRIPTION = (
    "The patient's clinical history: episodes of care, SOAP entries signed by their author "
    "and corrected only by amendments, templates, outcome measures scored by each instrument's "
    "published rules, sessions without a note, the clinical history as a PDF, the clinical "
    "text encrypted at rest and every read of it audited."
)


def create_app(
    settings: RecordsSettings | None = None, verifier: JwtVerifier | None = None
) -> FastAPI:
    """Build the records app from ``settings`` (default: the environment).

    ``verifier`` defaults to one fetching identity's JWKS from ``settings.jwks_url``.
    """
    settings = settings or RecordsSettings()
    services = build_services(settings)
    # audit_api first: its fixed paths (/api/records/audit…) win over /api/records/{id}.
    routers = [
        audit_api.router,
        records_api.router,
        episodes_api.router,
        measures_api.router,
        history_api.router,
        *([testing_api.router] if settings.is_test else []),
    ]
    app = create_service_app(
        settings,
        title="Clinic records",
        description=DESCRIPTION,
        routers=routers,
        services=services,
        consumer=lambda: build_consumer(services),
        verifier=verifier,
    )
    # Outermost: names the caller of a retried POST for the audit of its replayed answer.
    app.add_middleware(NoteRetryingCaller)
    return app
