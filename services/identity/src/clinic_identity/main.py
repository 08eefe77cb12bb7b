"""The identity service's FastAPI app (``uvicorn --factory clinic_identity.main:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from clinic_identity import auth_api, testing_api, users_api
from clinic_identity.config import IdentitySettings
from clinic_identity.container import build_identity
from clinic_identity.models import outbox
from clinic_shared.app import create_service_app, database_check, redis_check
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.events.lifespan import running_events
from clinic_shared.events.relay import OutboxRelay

DESCRIPTION = (
    "Staff accounts and roles, sign-in with short RS256 access tokens and rotating refresh "
    "cookies, the JWKS other services verify tokens with, and login throttling."
)


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    """Build the identity app from ``settings`` (default: the environment)."""
    settings = settings or IdentitySettings()
    identity = build_identity(settings)
    # Identity verifies its own tokens against its own key ring: no HTTP call to itself.
    keys = JwksCache(
        identity.keyring.jwks,
        ttl=settings.jwks_cache_seconds,
        min_refetch_interval=settings.jwks_min_refetch_seconds,
    )
    verifier = JwtVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        relay = OutboxRelay(
            identity.engine, outbox, settings.redis_url, poll_interval=settings.outbox_poll_seconds
        )
        try:
            async with running_events(relay):
                yield
        finally:
            identity.close()

    routers: list[APIRouter] = [auth_api.router, users_api.router]
    if settings.is_test:
        routers.append(testing_api.router)
    app = create_service_app(
        settings,
        title="Clinic identity",
        description=DESCRIPTION,
        routers=routers,
        readiness={
            "database": database_check(identity.engine),
            "redis": redis_check(settings.redis_url),
        },
        lifespan=lifespan,
        verifier=verifier,
    )
    app.state.identity = identity
    return app
