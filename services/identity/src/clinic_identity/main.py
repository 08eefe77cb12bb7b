"""The identity service's FastAPI app (``uvicorn --factory clinic_identity.main:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from clinic_identity import auth_api, settings_api, testing_api, users_api
from clinic_identity.bootstrap import build_services, own_verifier
from clinic_identity.config import IdentitySettings
from clinic_shared.app import create_service_app, redis_check
from clinic_shared.auth import JwtVerifier

DESCRIPTION = (
    "Staff accounts and roles, sign-in with short RS256 access tokens and rotating refresh "
    "cookies, the JWKS other services verify tokens with, and login throttling."
)


def create_app(
    settings: IdentitySettings | None = None, verifier: JwtVerifier | None = None
) -> FastAPI:
    """Build the identity app from ``settings`` (default: the environment)."""
    settings = settings or IdentitySettings()
    services = build_services(settings)
    routers = [
        auth_api.router,
        users_api.router,
        settings_api.router,
        *([testing_api.router] if settings.is_test else []),
    ]
    # Identity consumes no events; it checks tokens against its own key ring by default.
    return create_service_app(
        settings,
        title="Clinic identity",
        description=DESCRIPTION,
        routers=routers,
        services=services,
        # Sign-in fails closed without the login throttle's Redis: identity needs it to serve.
        readiness={"redis": redis_check(settings.redis_url)},
        verifier=verifier or own_verifier(services),
    )
