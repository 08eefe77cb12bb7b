"""Run a service's event machinery for the life of its app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio.to_thread

from clinic_shared.events.health import EventsHealth
from clinic_shared.events.relay import OutboxRelay

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer
    from clinic_shared.services import ServiceParts

ConsumerFactory = Callable[[], "EventConsumer | None"]


@asynccontextmanager
async def running_events(
    relay: OutboxRelay, consumer: EventConsumer | None = None
) -> AsyncIterator[None]:
    """Start the outbox relay (and the consumer, if any); stop both, consumer first."""
    relay.start()
    try:
        if consumer is not None:
            await consumer.start()
        try:
            yield
        finally:
            if consumer is not None:
                await consumer.stop()
    finally:
        # The relay's stop joins its thread: not on the event loop.
        await anyio.to_thread.run_sync(relay.stop)


@asynccontextmanager
async def service_lifespan(
    services: ServiceParts,
    redis_url: str,
    *,
    poll_interval: float,
    consumer: ConsumerFactory | None = None,
    health: EventsHealth | None = None,
) -> AsyncIterator[None]:
    """The relay of the service's outbox and its consumer while the app runs; then close.

    ``health`` (from ``create_service_app``) is given both, for readiness and metrics.
    """
    relay = OutboxRelay(
        services.engine, services.events.table, redis_url, poll_interval=poll_interval
    )
    built = consumer() if consumer else None
    if health is not None:
        health.relay, health.consumer = relay, built
        health.expects_consumer = built is not None
    try:
        async with running_events(relay, built):
            yield
    finally:
        services.close()
