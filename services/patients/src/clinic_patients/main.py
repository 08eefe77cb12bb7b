"""The patients service's FastAPI app (``uvicorn --factory clinic_patients.main:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from clinic_patients import api, testing_api
from clinic_patients.config import PatientsSettings
from clinic_patients.consumers import build_consumer
from clinic_patients.deps import PatientsContext
from clinic_patients.models import outbox
from clinic_shared.app import create_service_app, database_check, redis_check
from clinic_shared.auth import JwtVerifier
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events.lifespan import running_events
from clinic_shared.events.relay import OutboxRelay

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
    engine = create_engine_for(settings.database_url)
    context = PatientsContext(settings, engine, make_session_factory(engine))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        relay = OutboxRelay(
            engine, outbox, settings.redis_url, poll_interval=settings.outbox_poll_seconds
        )
        try:
            async with running_events(relay, build_consumer(settings, context.session_factory)):
                yield
        finally:
            engine.dispose()

    routers: list[APIRouter] = [api.router]
    if settings.is_test:
        routers.append(testing_api.router)
    app = create_service_app(
        settings,
        title="Clinic patients",
        description=DESCRIPTION,
        routers=routers,
        readiness={"database": database_check(engine), "redis": redis_check(settings.redis_url)},
        lifespan=lifespan,
        verifier=verifier,
    )
    app.state.patients = context
    return app
