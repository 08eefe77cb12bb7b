"""The patients service's FastAPI app (``uvicorn --factory clinic_patients.main:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_patients import api, testing_api
from clinic_patients.bootstrap import build_services
from clinic_patients.config import PatientsSettings
from clinic_patients.consumers import build_consumer
from clinic_shared.app import create_service_app
from clinic_shared.auth import JwtVerifier

DESCRIPTION = (
    "The patient registry: registration with duplicate warnings, accent- and case-insensitive "
    "search by name in any order (with typo tolerance on request), tax id, phone or email, "
    "and patient.* events for the other contexts."
)


def create_app(
    settings: PatientsSettings | None = None, verifier: JwtVerifier | None = None
) -> FastAPI:
    """Build the patients app from ``settings`` (default: the environment).

    ``verifier`` defaults to one fetching identity's JWKS from ``settings.jwks_url``.
    """
    settings = settings or PatientsSettings()
    services = build_services(settings)
    routers = [api.router, *([testing_api.router] if settings.is_test else [])]
    return create_service_app(
        settings,
        title="Clinic patients",
        description=DESCRIPTION,
        routers=routers,
        services=services,
        consumer=lambda: build_consumer(services),
        verifier=verifier,
    )
