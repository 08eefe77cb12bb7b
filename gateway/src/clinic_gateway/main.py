"""``create_app()``: the gateway in front of the services and the SPA (port 8000)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from clinic_gateway import dashboard, openapi
from clinic_gateway.config import GatewaySettings
from clinic_gateway.dispatch import PROXIED_METHODS, dispatch
from clinic_gateway.edge_auth import EdgeAuthenticator
from clinic_gateway.i18n import load_translations
from clinic_gateway.openapi_merge import OpenApiAggregator
from clinic_gateway.ops import readiness_checks, test_router
from clinic_gateway.ops_guard import OpsGuardMiddleware
from clinic_gateway.proxy import Upstreams
from clinic_gateway.routing import RouteTable
from clinic_gateway.security import SecurityHeadersMiddleware
from clinic_gateway.spa import Spa
from clinic_gateway.state import GatewayState
from clinic_shared.app import create_service_app, verifier_from_settings


def build_state(settings: GatewaySettings) -> GatewayState:
    """The gateway's collaborators for ``settings`` (the HTTP pool opens in the lifespan)."""
    route_table = RouteTable(settings.routes)
    upstreams = Upstreams(settings)
    return GatewayState(
        settings=settings,
        route_table=route_table,
        upstreams=upstreams,
        edge_auth=EdgeAuthenticator(verifier_from_settings(settings)),
        spa=Spa(settings.frontend_dist, load_translations(settings.translations_dir)),
        openapi=OpenApiAggregator(settings, upstreams),
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway app: gateway-owned routes first, then the proxy / SPA catch-all."""
    settings = settings or GatewaySettings()
    state = build_state(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await state.upstreams.start()
        try:
            yield
        finally:
            await state.upstreams.close()

    routers: list[APIRouter] = [dashboard.router, openapi.router]
    if settings.is_test:
        routers.append(test_router)
    app = create_service_app(
        settings,
        title="Clinic gateway",
        description="Routing, the auth edge, dashboard aggregation and the SPA.",
        routers=routers,
        readiness=readiness_checks(settings),
        lifespan=lifespan,
        verifier=state.edge_auth.verifier,
        # The services judge their own bodies; buffering here would undo the streamed uploads.
        guard_bodies=False,
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = state
    app.add_middleware(OpsGuardMiddleware, token=settings.ops_token)
    app.add_middleware(
        SecurityHeadersMiddleware,
        trusted_proxies=settings.trusted_proxies,
        hsts_max_age=settings.hsts_max_age_seconds,
    )
    app.add_route("/{path:path}", dispatch, methods=PROXIED_METHODS, include_in_schema=False)
    return app
