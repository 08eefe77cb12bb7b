"""Run a service's event machinery for the life of its app (use inside its lifespan)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio.to_thread

from clinic_shared.events.relay import OutboxRelay

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer


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
