"""``create_service_app()``: the FastAPI app every service starts from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
import redis
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine, text

from clinic_shared.auth import JwksCache, JwtVerifier, http_jwks_fetcher
from clinic_shared.logs import configure_logging
from clinic_shared.middleware import MetricsMiddleware, RequestIdMiddleware
from clinic_shared.problems import install_problem_handlers
from clinic_shared.settings import ServiceSettings

ReadinessCheck = Callable[[], None]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def database_check(engine: Engine) -> ReadinessCheck:
    """Readiness: the service's database answers ``SELECT 1``."""

    def check() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return check


def redis_check(url: str) -> ReadinessCheck:
    """Readiness: Redis answers PING."""

    def check() -> None:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()

    return check


def verifier_from_settings(settings: ServiceSettings) -> JwtVerifier:
    """A verifier fetching identity's JWKS over HTTP."""
    cache = JwksCache(
        http_jwks_fetcher(settings.jwks_url),
        ttl=settings.jwks_cache_seconds,
        min_refetch_interval=settings.jwks_min_refetch_seconds,
    )
    return JwtVerifier(cache, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str = "",
    routers: Sequence[APIRouter] = (),
    readiness: dict[str, ReadinessCheck] | None = None,
    lifespan: Lifespan | None = None,
    verifier: JwtVerifier | None = None,
    **fastapi_kwargs: Any,
) -> FastAPI:
    """A FastAPI app with request ids, problem+json errors, health, readiness and metrics."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    checks = dict(readiness or {})

    @asynccontextmanager
    async def combined_lifespan(app: FastAPI) -> AsyncIterator[None]:
        if lifespan is None:
            yield
            return
        async with lifespan(app):
            yield

    app = FastAPI(
        title=title,
        description=description,
        lifespan=combined_lifespan,
        openapi_url="/openapi.json",
        **fastapi_kwargs,
    )
    app.state.settings = settings
    app.state.verifier = verifier or verifier_from_settings(settings)
    install_problem_handlers(app)
    registry = CollectorRegistry()
    app.add_middleware(MetricsMiddleware, registry=registry)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/healthz", tags=["ops"], include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": settings.service_name}

    @app.get("/readyz", tags=["ops"], include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Readiness: every dependency (database, Redis) answers."""
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await anyio.to_thread.run_sync(check)
                results[name] = "ok"
            except Exception as exc:
                results[name] = f"error: {type(exc).__name__}"
        ready = all(v == "ok" for v in results.values())
        body = {"status": "ready" if ready else "not ready", "checks": results}
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics() -> Response:
        """Prometheus metrics."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    return app
