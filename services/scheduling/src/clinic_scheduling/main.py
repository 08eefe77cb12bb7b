"""The scheduling FastAPI app (``uvicorn --factory clinic_scheduling.main:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.entrypoints import (
    appointments_api,
    hours_api,
    problems,
    testing_api,
    types_api,
    week_api,
)
from clinic_scheduling.entrypoints.consumers import build_consumer
from clinic_scheduling.entrypoints.deps import SchedulingContext
from clinic_scheduling.infrastructure.tables import outbox
from clinic_shared.app import create_service_app, database_check, redis_check
from clinic_shared.auth import JwtVerifier
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events.lifespan import running_events
from clinic_shared.events.relay import OutboxRelay

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
    engine = create_engine_for(settings.database_url)
    context = SchedulingContext(settings, engine, make_session_factory(engine))

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

    # hours_api first: its /api/appointments/free-slots must win over /api/appointments/{id}.
    routers: list[APIRouter] = [
        hours_api.router,
        appointments_api.router,
        types_api.router,
        week_api.router,
    ]
    if settings.is_test:
        routers.append(testing_api.router)
    app = create_service_app(
        settings,
        title="Clinic scheduling",
        description=DESCRIPTION,
        routers=routers,
        readiness={"database": database_check(engine), "redis": redis_check(settings.redis_url)},
        lifespan=lifespan,
        verifier=verifier,
    )
    problems.install(app)
    app.state.scheduling = context
    return app
