"""The scheduling FastAPI app (``uvicorn --factory clinic_scheduling.main:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_scheduling.bootstrap import build_services
from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.entrypoints import (
    appointment_types_api,
    appointments_api,
    problems,
    testing_api,
    week_api,
    working_hours_api,
)
from clinic_scheduling.entrypoints.consumers import build_consumer
from clinic_shared.app import create_service_app
from clinic_shared.auth import JwtVerifier

DESCRIPTION = (
    "The calendar: appointments, blocks and empty slots that never double-book a "
    "practitioner or a patient, appointment types, working hours and free slots, and "
    "appointment.* events for the other contexts."
)


def create_app(
    settings: SchedulingSettings | None = None, verifier: JwtVerifier | None = None
) -> FastAPI:
    """Build the scheduling app from ``settings`` (default: the environment).

    ``verifier`` defaults to one fetching identity's JWKS from ``settings.jwks_url``.
    """
    settings = settings or SchedulingSettings()
    services = build_services(settings)
    # working_hours_api first: its /api/appointments/free-slots wins over /api/appointments/{id}.
    routers = [
        working_hours_api.router,
        appointments_api.router,
        appointment_types_api.router,
        week_api.router,
        *([testing_api.router] if settings.is_test else []),
    ]
    app = create_service_app(
        settings,
        title="Clinic scheduling",
        description=DESCRIPTION,
        routers=routers,
        services=services,
        consumer=lambda: build_consumer(services),
        verifier=verifier,
    )
    problems.install(app)
    return app
