"""Idempotent event consumers on Redis streams, built on FastStream 0.7.8.

FastStream is used as the design asks: it exposes everything needed here. The message id
and stream come with ``RedisStreamMessage.raw_message``, the delivery count from
``RedisStreamMessage.get_delivery_count()`` (XPENDING), and ``AckPolicy.MANUAL`` leaves
acknowledging to us. Per stream, a consumer runs two subscribers in group ``<service>``:

- a reader of new entries (XREADGROUP ``>``);
- a reclaimer (XAUTOCLAIM with ``min_idle_time``) that takes over entries some consumer
  read but never acknowledged (killed, or its handler failed), which the reader would
  never see again.

The group is created from id ``0`` before subscribing, so a new service reads history.
Each handler runs in a worker thread inside one DB transaction that also records the event
id (:func:`~clinic_shared.events.processing.apply_once`): a duplicate is acked and skipped.
After ``max_deliveries`` failed deliveries the entry is copied to ``dead.<service>`` with
the error and acknowledged, so it never blocks the entries behind it.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import anyio.to_thread
import redis.asyncio as aredis
from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisStreamMessage
from faststream.redis.message import RedisStreamMessage as StreamMessage
from redis.exceptions import ResponseError
from redis.typing import EncodableT, FieldT
from sqlalchemy import Table
from sqlalchemy.orm import Session

from clinic_shared.events.envelope import EventEnvelope, from_fields
from clinic_shared.events.processing import EventHandler, SessionFactory, apply_once
from clinic_shared.events.replay import replay

log = logging.getLogger(__name__)

_MAX_ERROR_LENGTH = 2000


class EventConsumer:
    """One service's consumer group on some streams, dispatching events by type."""

    def __init__(
        self,
        *,
        service: str,
        redis_url: str,
        session_factory: SessionFactory,
        processed_table: Table,
        streams: Sequence[str],
        handlers: Mapping[str, EventHandler] | None = None,
        consumer_name: str | None = None,
        max_deliveries: int = 5,
        reclaim_idle_ms: int = 60_000,
        block_ms: int = 1_000,
        batch_size: int = 10,
    ) -> None:
        if max_deliveries < 1 or reclaim_idle_ms < 1:
            raise ValueError("max_deliveries and reclaim_idle_ms must be positive")
        self.service = service
        self.consumer_name = consumer_name or f"{service}-{socket.gethostname()}-{os.getpid()}"
        self.dead_letter_stream = f"dead.{service}"
        self._redis_url = redis_url
        self._session_factory = session_factory
        self._processed = processed_table
        self._streams = tuple(streams)
        self._handlers: dict[str, EventHandler] = dict(handlers or {})
        self._max_deliveries = max_deliveries
        self._reclaim_idle_ms = reclaim_idle_ms
        self._block_ms = block_ms
        self._batch_size = batch_size
        self._broker: RedisBroker | None = None
        self._redis: aredis.Redis | None = None

    def handles(self, *event_types: str) -> Callable[[EventHandler], EventHandler]:
        """Decorator registering a ``handler(session, envelope)`` for ``event_types``."""

        def register(handler: EventHandler) -> EventHandler:
            for event_type in event_types:
                self.add_handler(event_type, handler)
            return handler

        return register

    def add_handler(self, event_type: str, handler: EventHandler) -> None:
        """Register ``handler`` for ``event_type`` (before :meth:`start`)."""
        if event_type in self._handlers:
            raise ValueError(f"{event_type!r} already has a handler")
        self._handlers[event_type] = handler

    def dispatch(self, session: Session, envelope: EventEnvelope) -> None:
        """Run the handler registered for ``envelope.type``, if any (used by :meth:`replay`)."""
        handler = self._handlers.get(envelope.type)
        if handler is not None:
            handler(session, envelope)

    async def start(self) -> None:
        """Create the groups (from id 0) and start reading; raises if Redis is unreachable."""
        if self._broker is not None:
            return
        self._redis = aredis.Redis.from_url(self._redis_url)
        # Per-message logs at DEBUG: a busy stream would otherwise flood the INFO log.
        broker = RedisBroker(
            self._redis_url, logger=log, log_level=logging.DEBUG, graceful_timeout=10.0
        )
        try:
            for stream in self._streams:
                await self._ensure_group(stream)
                self._subscribe(broker, stream)
            await broker.start()
        except BaseException:
            await broker.stop()
            await self._redis.aclose()
            self._redis = None
            raise
        self._broker = broker

    async def stop(self) -> None:
        """Stop reading (letting the message in hand finish) and close connections."""
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()
        client, self._redis = self._redis, None
        if client is not None:
            await self._forget_consumer_if_idle(client)
            await client.aclose()

    def replay(self, stream: str) -> int:
        """Re-apply every event of ``stream`` from the start through the handlers (sync, CLI)."""
        return replay(
            self._redis_url,
            stream,
            self.dispatch,
            session_factory=self._session_factory,
            processed_table=self._processed,
            consumer=self.service,
        )

    async def _ensure_group(self, stream: str) -> None:
        assert self._redis is not None
        try:
            await self._redis.xgroup_create(stream, self.service, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _subscribe(self, broker: RedisBroker, stream: str) -> None:
        reader = StreamSub(
            stream,
            group=self.service,
            consumer=self.consumer_name,
            max_records=self._batch_size,
            polling_interval=self._block_ms,
        )
        reclaimer = StreamSub(
            stream,
            group=self.service,
            consumer=self.consumer_name,
            min_idle_time=self._reclaim_idle_ms,
            # Sleep between empty XAUTOCLAIM scans; no need to look more often than entries age.
            polling_interval=min(5_000, max(100, self._reclaim_idle_ms // 2)),
        )

        async def on_new(message: RedisStreamMessage) -> None:
            await self._handle(message, reclaimed=False)

        async def on_reclaimed(message: RedisStreamMessage) -> None:
            await self._handle(message, reclaimed=True)

        broker.subscriber(stream=reader, ack_policy=AckPolicy.MANUAL)(on_new)
        broker.subscriber(stream=reclaimer, ack_policy=AckPolicy.MANUAL)(on_reclaimed)

    async def _handle(self, message: StreamMessage, *, reclaimed: bool) -> None:
        if reclaimed:
            deliveries = await message.get_delivery_count()
            # Past the limit without a recorded failure: the handler keeps killing its
            # process (or hangs), so running it again would only do that again.
            if deliveries > self._max_deliveries:
                await self._dead_letter(message, deliveries, "no outcome after repeated deliveries")
                return
        try:
            envelope = from_fields(message.raw_message["data"])
        except ValueError as exc:
            # Retrying cannot fix a malformed entry: park it at once.
            await self._dead_letter(message, 1, f"not an event envelope: {_describe(exc)}")
            return
        handler = self._handlers.get(envelope.type)
        if handler is None:
            await message.ack()
            return
        try:
            applied = await anyio.to_thread.run_sync(
                apply_once, self._session_factory, self._processed, self.service, envelope, handler
            )
        except Exception as exc:
            await self._on_failure(message, envelope, exc)
            return
        if not applied:
            log.info("%s: event %s already processed, skipped", self.service, envelope.id)
        await message.ack()

    async def _on_failure(
        self, message: StreamMessage, envelope: EventEnvelope, exc: Exception
    ) -> None:
        deliveries = await message.get_delivery_count()
        if deliveries >= self._max_deliveries:
            log.error(
                "%s: event %s (%s) failed %d times, moved to %s",
                self.service,
                envelope.id,
                envelope.type,
                deliveries,
                self.dead_letter_stream,
                exc_info=exc,
            )
            await self._dead_letter(message, deliveries, _describe(exc))
        else:
            # Left pending: the reclaimer retries it once it has been idle long enough.
            log.warning(
                "%s: event %s (%s) failed (delivery %d of %d): %s",
                self.service,
                envelope.id,
                envelope.type,
                deliveries,
                self._max_deliveries,
                _describe(exc),
            )

    async def _dead_letter(self, message: StreamMessage, deliveries: int, error: str) -> None:
        assert self._redis is not None
        raw = message.raw_message
        stream, entry_id = raw["channel"], raw["message_ids"][0]
        fields: dict[FieldT, EncodableT] = {key: value for key, value in raw["data"].items()}
        fields.update(
            {
                "error": error,
                "stream": stream,
                "entryId": entry_id,
                "consumer": self.service,
                "deliveries": str(deliveries),
                "failedAt": datetime.now(UTC).isoformat(),
            }
        )
        # MULTI: the entry is never both parked and still pending, nor acked and lost.
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.dead_letter_stream, fields)
            pipe.xack(stream, self.service, entry_id)
            await pipe.execute()

    async def _forget_consumer_if_idle(self, client: aredis.Redis) -> None:
        # Consumer names include host and pid, so each restart adds one to the group;
        # drop ours when it holds nothing (deleting it would discard its pending entries).
        for stream in self._streams:
            try:
                pending = await client.xpending_range(
                    stream, self.service, min="-", max="+", count=1, consumername=self.consumer_name
                )
                if not pending:
                    await client.xgroup_delconsumer(stream, self.service, self.consumer_name)
            except Exception as exc:
                log.debug("%s: could not drop consumer on %s: %s", self.service, stream, exc)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_LENGTH]
