"""``create_service_app()``: the FastAPI app every service starts from."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
import redis
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine, text

from clinic_shared.auth import JwksCache, JwtVerifier, http_jwks_fetcher
from clinic_shared.auth.verified_tokens import VerifiedTokenCache
from clinic_shared.events.health import EventsHealth
from clinic_shared.events.lifespan import ConsumerFactory, service_lifespan
from clinic_shared.http_guards import NoStoreMiddleware, RequestBodyMiddleware
from clinic_shared.idempotency_http import IdempotencyMiddleware
from clinic_shared.logs import configure_logging
from clinic_shared.metrics import (
    MetricSource,
    OutboxSource,
    QueriedMetrics,
    StreamsSource,
    consumer_streams_of,
)
from clinic_shared.metrics_pools import DatabasePoolCollector, engines_of
from clinic_shared.middleware import MetricsMiddleware, RequestIdMiddleware
from clinic_shared.openapi import install_problem_openapi
from clinic_shared.problems import install_problem_handlers
from clinic_shared.services import ServiceParts
from clinic_shared.settings import ServiceSettings
from clinic_shared.startup_heap import freeze_startup_heap
from clinic_shared.unhandled import UnhandledErrorMiddleware

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
    remembered = VerifiedTokenCache(
        settings.verified_token_cache_seconds, settings.verified_token_cache_size
    )
    return JwtVerifier(
        cache, issuer=settings.jwt_issuer, audience=settings.jwt_audience, remembered=remembered
    )


def operation_id(route: APIRoute) -> str:
    """``{tag}-{name}`` (``patients-create_patient``), so generated clients read well."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{re.sub(r'[^a-z0-9]+', '-', tag.lower()).strip('-')}-{route.name}"


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str = "",
    routers: Sequence[APIRouter] = (),
    services: ServiceParts | None = None,
    consumer: ConsumerFactory | None = None,
    readiness: dict[str, ReadinessCheck] | None = None,
    lifespan: Lifespan | None = None,
    verifier: JwtVerifier | None = None,
    guard_bodies: bool = True,
    **fastapi_kwargs: Any,
) -> FastAPI:
    """A FastAPI app with request ids, problem+json errors, health, readiness and metrics.

    Every answer is ``Cache-Control: no-store`` unless a route sets its own; request bodies over
    ``settings.max_body_bytes`` are 413 and JSON bodies with a duplicated key 422, before any
    route parses them (unless ``guard_bodies`` is off: the gateway streams); the OpenAPI
    document lists every route's problem+json answers.

    Given a service's ``services`` (its composition root), the app also keeps them at
    ``app.state.services``, checks its database and event consumer for readiness, honours
    ``Idempotency-Key``, and runs its outbox relay and ``consumer()`` while it lives.
    """
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    checks = dict(readiness or {})
    # Redis is not a readiness check by itself: writes go to the outbox while it is down
    # (a service that cannot serve without it, like identity's login throttle, adds it).
    events_health = EventsHealth()
    if services is not None:
        checks = {
            "database": database_check(services.engine),
            **({"consumer": events_health.check} if consumer is not None else {}),
            **checks,
        }
        if lifespan is None:
            parts = services

            def lifespan(_app: FastAPI) -> AbstractAsyncContextManager[None]:
                return service_lifespan(
                    parts,
                    settings.redis_url,
                    poll_interval=settings.outbox_poll_seconds,
                    consumer=consumer,
                    health=events_health,
                )

    # Read when scraped, each under a short deadline; never failing the scrape (metrics.py).
    registry = CollectorRegistry()
    registry.register(events_health)
    streams_metrics: StreamsSource | None = None
    if services is not None:
        registry.register(DatabasePoolCollector(engines_of(services)))
        sources: list[MetricSource] = [OutboxSource(services.engine, services.events.table)]
        if consumer is not None:
            streams_metrics = StreamsSource(settings.redis_url, consumer_streams_of(events_health))
            sources.append(streams_metrics)
        registry.register(QueriedMetrics(sources))

    @asynccontextmanager
    async def combined_lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if lifespan is None:
                freeze_startup_heap()
                yield
                return
            async with lifespan(app):
                freeze_startup_heap()  # once started: the relay, the consumer, the pools
                yield
        finally:
            if streams_metrics is not None:
                streams_metrics.close()

    app = FastAPI(
        title=title,
        description=description,
        lifespan=combined_lifespan,
        openapi_url="/openapi.json",
        **{"generate_unique_id_function": operation_id, **fastapi_kwargs},
    )
    app.state.settings = settings
    app.state.events_health = events_health  # the relay and consumer, once the lifespan runs
    app.state.verifier = verifier or verifier_from_settings(settings)
    install_problem_handlers(app)
    app.add_middleware(UnhandledErrorMiddleware)  # innermost: a 500 never closes the connection
    if services is not None:
        app.state.services = services
        app.add_middleware(IdempotencyMiddleware)
    # Outermost last: request id > metrics > no-store > body limit and duplicate keys > the rest.
    if guard_bodies:
        app.add_middleware(RequestBodyMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(NoStoreMiddleware)
    app.add_middleware(MetricsMiddleware, registry=registry)
    app.add_middleware(RequestIdMiddleware)
    install_problem_openapi(app)

    # ``async`` on purpose: liveness must never wait for a worker thread (they may all be
    # blocked on a frozen database) and never touches the database or Redis itself.
    @app.get("/healthz", tags=["ops"], include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": settings.service_name}

    @app.get("/readyz", tags=["ops"], include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Readiness: what the service cannot serve without (database, event consumer) works."""
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
