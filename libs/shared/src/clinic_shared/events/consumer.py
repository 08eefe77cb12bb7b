"""Idempotent event consumers on Redis streams, built on FastStream 0.7.8.

FastStream is used as the design asks: it exposes everything needed here. The message id
and stream come with ``RedisStreamMessage.raw_message``, the delivery count from
``RedisStreamMessage.get_delivery_count()`` (XPENDING), and ``AckPolicy.MANUAL`` leaves
acknowledging to us. Per stream, a consumer runs two subscribers in group ``<service>``:

- a reader of new entries (XREADGROUP ``>``);
- a reclaimer (XAUTOCLAIM with ``min_idle_time``, 5 s by default) that takes over entries some
  consumer read but never acknowledged (killed, or its handler failed), which the reader
  would never see again.

The group is created from id ``0`` before subscribing, so a new service reads history.
Each handler runs in a worker thread inside one DB transaction that also records the event
id (:func:`~clinic_shared.events.processing.apply_once`): a duplicate is acked and skipped.

Failures are told apart (:func:`~clinic_shared.events.failures.is_infrastructure_error`):

- the database or Redis unavailable: retried in place without limit, with back-off up to
  ``max_retry_delay``, keeping the entry claimed (XCLAIM JUSTID) so no replica steals it and
  its delivery count does not grow; nothing is dead-lettered because of an outage;
- anything else (a payload its contract rejects, a handler's bug): left pending and retried
  by the reclaimer; after ``max_deliveries`` deliveries the entry is copied to
  ``dead.<service>`` with the error and acknowledged, so it never blocks the entries behind
  it. :func:`~clinic_shared.events.replay.replay_dead` (each consuming service's
  ``replay-dead`` command) applies them again once the cause is fixed.

An event type with no handler is acknowledged, logged at WARNING and counted
(``unknown_events``, exported as ``clinic_events_unknown_total``), never dropped silently.

A supervisor task watches the subscribers. FastStream ends a subscriber for good on
``NOGROUP`` (Redis came back without its data: FLUSHALL, a restart without persistence);
the supervisor then recreates the groups (from ``0``: whatever the stream holds now is
read, duplicates are skipped) and restarts reading, logging that the stream went backwards
when it is behind the last entry this consumer handled. The producers' relays re-publish
what the lost stream never delivered (:class:`~clinic_shared.events.relay.OutboxRelay`).
:attr:`EventConsumer.running` is False while a subscriber is not reading;
:attr:`EventConsumer.healthy` (the readiness check) is also True while the consumer only
waits for Redis to answer, since a Redis outage alone delays events and nothing more.
On start, consumers of the group idle for ``forget_idle_ms`` with nothing pending (dead
replicas; names include host and pid) are deleted from the group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
import redis.asyncio as aredis
import redis.exceptions as redis_exc
from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisStreamMessage
from faststream.redis.message import RedisStreamMessage as StreamMessage
from redis.exceptions import ResponseError
from redis.typing import EncodableT, FieldT
from sqlalchemy import Table
from sqlalchemy.orm import Session

from clinic_shared.events.envelope import EventEnvelope, from_fields
from clinic_shared.events.failures import is_infrastructure_error
from clinic_shared.events.processing import EventHandler, SessionFactory, apply_once
from clinic_shared.events.replay import DeadReplay, replay, replay_dead
from clinic_shared.request_id import request_id_var

log = logging.getLogger(__name__)

_MAX_ERROR_LENGTH = 2000
# Redis not answering: the consumer waits for it (healthy) rather than having failed.
_REDIS_DOWN = (redis_exc.ConnectionError, redis_exc.TimeoutError, ConnectionError, TimeoutError)


# An outage is retried after half a second, then twice as long each time, at most every 30 s.
FIRST_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 30.0


def retry_delays(first: float, most: float) -> Iterator[float]:
    """The seconds to wait before each retry: ``first``, doubling each time, at most ``most``."""
    delay = first
    while True:
        yield delay
        delay = min(most, delay * 2)


def reclaim_scan_interval_ms(reclaim_idle_ms: int) -> int:
    """The sleep between empty XAUTOCLAIM scans: half the idle time, within 100 ms and 5 s.

    No need to look more often than entries age; a long idle time (minutes) still gets an
    entry reclaimed within 5 s of it becoming due, a very short one (tests) without spinning.
    """
    return min(5_000, max(100, reclaim_idle_ms // 2))


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
        reclaim_idle_ms: int = 5_000,
        block_ms: int = 1_000,
        batch_size: int = 10,
        first_retry_delay: float = FIRST_RETRY_DELAY,
        max_retry_delay: float = MAX_RETRY_DELAY,
        forget_idle_ms: int = 3_600_000,
        watch_interval: float = 1.0,
    ) -> None:
        if max_deliveries < 1 or reclaim_idle_ms < 1:
            raise ValueError("max_deliveries and reclaim_idle_ms must be positive")
        if first_retry_delay <= 0 or max_retry_delay < first_retry_delay or watch_interval <= 0:
            raise ValueError("retry delays and watch_interval must be positive and ordered")
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
        self._first_retry_delay = first_retry_delay
        self._max_retry_delay = max_retry_delay
        self._forget_idle_ms = forget_idle_ms
        self._watch_interval = watch_interval
        self._broker: RedisBroker | None = None
        self._subscribers: list[Any] = []
        self._redis: aredis.Redis | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._stop_requested = asyncio.Event()
        self._waiting_for_redis = False
        # The last entry id handled per stream: a stream found behind it went backwards.
        self._last_handled: dict[str, str] = {}
        # What an operator (and /metrics) needs to see: clinic_shared.events.health exports them.
        self.unknown_events: Counter[tuple[str, str]] = Counter()
        self.dead_lettered = 0
        self.infrastructure_retries = 0
        self.restarts = 0
        self.stream_regressions = 0

    # -- registration ---------------------------------------------------------------------

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

    @property
    def streams(self) -> tuple[str, ...]:
        """The streams this consumer's group reads."""
        return self._streams

    # -- health ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether every subscriber is reading now (False while one ended or Redis is awaited)."""
        return (
            self._broker is not None
            and bool(self._subscribers)
            and all(getattr(sub, "running", False) for sub in self._subscribers)
        )

    @property
    def healthy(self) -> bool:
        """Reading, or waiting for Redis to answer with a live supervisor (the readiness check).

        False when the consumer was never started or was stopped, its supervisor died, or a
        subscriber ended and could not be restarted for another reason than Redis being down.
        """
        supervising = self._supervisor is not None and not self._supervisor.done()
        return supervising and (self.running or self._waiting_for_redis)

    def health(self) -> dict[str, Any]:
        """A summary for logs and readiness: ``running``, ``healthy`` and the counters."""
        return {
            "running": self.running,
            "healthy": self.healthy,
            "waitingForRedis": self._waiting_for_redis,
            "restarts": self.restarts,
            "deadLettered": self.dead_lettered,
            "infrastructureRetries": self.infrastructure_retries,
            "unknownEvents": sum(self.unknown_events.values()),
        }

    # -- life -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Create the groups (from id 0), start reading and supervising.

        When Redis does not answer, the consumer starts anyway and the supervisor keeps
        trying (the service can still take writes through its outbox); other errors raise.
        """
        if self._supervisor is not None:
            return
        self._stop_requested = asyncio.Event()
        try:
            await self._connect()
        except _REDIS_DOWN as exc:
            self._waiting_for_redis = True
            log.warning(
                "%s: Redis unreachable (%s); events are consumed once it answers",
                self.service,
                _describe(exc),
            )
        self._supervisor = asyncio.create_task(
            self._supervise(), name=f"event-consumer-{self.service}"
        )

    async def stop(self) -> None:
        """Stop supervising and reading (letting the message in hand finish); close clients."""
        self._stop_requested.set()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await supervisor
        await self._disconnect(forget_self=True)
        self._waiting_for_redis = False

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

    def replay_dead(self) -> DeadReplay:
        """Apply the entries of ``dead.<service>`` again, removing those that now succeed (CLI)."""
        return replay_dead(
            self._redis_url,
            self.service,
            self.dispatch,
            session_factory=self._session_factory,
            processed_table=self._processed,
        )

    async def _connect(self) -> None:
        client = aredis.Redis.from_url(self._redis_url)
        # Per-message logs at DEBUG: a busy stream would otherwise flood the INFO log.
        broker = RedisBroker(
            self._redis_url, logger=log, log_level=logging.DEBUG, graceful_timeout=10.0
        )
        subscribers: list[Any] = []
        try:
            for stream in self._streams:
                await self._ensure_group(client, stream)
                await self._forget_dead_consumers(client, stream)
                subscribers.extend(self._subscribe(broker, stream))
            await broker.start()
        except BaseException:
            with contextlib.suppress(Exception):
                await broker.stop()
            await client.aclose()
            raise
        self._redis, self._broker, self._subscribers = client, broker, subscribers

    async def _disconnect(self, *, forget_self: bool = False) -> None:
        broker, self._broker = self._broker, None
        self._subscribers = []
        if broker is not None:
            with contextlib.suppress(Exception):
                await broker.stop()
        client, self._redis = self._redis, None
        if client is not None:
            if forget_self:
                await self._forget_consumer_if_idle(client)
            with contextlib.suppress(Exception):
                await client.aclose()

    def _retry_delays(self) -> Iterator[float]:
        return retry_delays(self._first_retry_delay, self._max_retry_delay)

    async def _supervise(self) -> None:
        """Restart reading whenever a subscriber ended (NOGROUP) or Redis was not there."""
        delays = self._retry_delays()
        while not self._stop_requested.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_requested.wait(), self._watch_interval)
            if self._stop_requested.is_set() or self.running:
                continue
            if self._broker is not None:
                log.error(
                    "%s: a subscriber stopped (its group is gone: Redis lost its data?); "
                    "recreating the groups and reading again",
                    self.service,
                )
                await self._disconnect()
            try:
                await self._connect()
            except _REDIS_DOWN as exc:
                self._waiting_for_redis = True
                log.warning("%s: Redis unreachable: %s", self.service, _describe(exc))
            except Exception:
                self._waiting_for_redis = False
                log.exception("%s: could not restart the consumer; retrying", self.service)
            else:
                self._waiting_for_redis = False
                self.restarts += 1
                delays = self._retry_delays()
                log.warning("%s: consuming %s again", self.service, ", ".join(self._streams))
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_requested.wait(), next(delays))

    async def _ensure_group(self, client: aredis.Redis, stream: str) -> None:
        try:
            await client.xgroup_create(stream, self.service, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        else:
            handled = self._last_handled.get(stream)
            if handled is not None:
                await self._report_regression(client, stream, handled)

    async def _report_regression(self, client: aredis.Redis, stream: str, handled: str) -> None:
        # The group had to be created although this consumer handled entries of the stream:
        # Redis lost them (and the group). What it holds now is read from the start.
        info = await client.xinfo_stream(stream)
        last = info.get("last-generated-id", b"0-0")
        last = last.decode() if isinstance(last, bytes) else str(last)
        behind = _entry_key(last) < _entry_key(handled)
        self.stream_regressions += 1
        log.error(
            "%s: stream %s lost its data (group recreated; last id now %s, last handled %s%s); "
            "events published in between are re-published from the producer's outbox",
            self.service,
            stream,
            last,
            handled,
            ": it went backwards" if behind else "",
        )

    def _subscribe(self, broker: RedisBroker, stream: str) -> list[Any]:
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
            polling_interval=reclaim_scan_interval_ms(self._reclaim_idle_ms),
        )

        async def on_new(message: RedisStreamMessage) -> None:
            await self._handle(message, reclaimed=False)

        async def on_reclaimed(message: RedisStreamMessage) -> None:
            await self._handle(message, reclaimed=True)

        subscribers = []
        for sub, handler in ((reader, on_new), (reclaimer, on_reclaimed)):
            subscriber = broker.subscriber(stream=sub, ack_policy=AckPolicy.MANUAL)
            subscriber(handler)
            subscribers.append(subscriber)
        return subscribers

    # -- one message ----------------------------------------------------------------------

    async def _handle(self, message: StreamMessage, *, reclaimed: bool) -> None:
        raw = message.raw_message
        stream, entry_id = raw["channel"], _text(raw["message_ids"][0])
        if reclaimed:
            deliveries = await message.get_delivery_count()
            # Past the limit without a recorded failure: the handler keeps killing its
            # process (or hangs), so running it again would only do that again.
            if deliveries > self._max_deliveries:
                await self._dead_letter(message, deliveries, "no outcome after repeated deliveries")
                return
        try:
            envelope = from_fields(raw["data"])
        except ValueError as exc:
            # Retrying cannot fix a malformed entry: park it at once.
            await self._dead_letter(message, 1, f"not an event envelope: {_describe(exc)}")
            return
        # The request that caused the event: its id goes into every log line written while
        # handling it (the handler's, in its worker thread, too) and into the events it emits.
        token = request_id_var.set(envelope.correlation_id)
        try:
            await self._handle_envelope(message, envelope, stream, entry_id)
        finally:
            request_id_var.reset(token)

    async def _handle_envelope(
        self, message: StreamMessage, envelope: EventEnvelope, stream: str, entry_id: str
    ) -> None:
        handler = self._handlers.get(envelope.type)
        if handler is None:
            self.unknown_events[(stream, envelope.type)] += 1
            log.warning(
                "%s: no handler for event type %r (event %s on %s from %s); acknowledged unapplied",
                self.service,
                envelope.type,
                envelope.id,
                stream,
                envelope.producer,
            )
            await message.ack()
            self._handled(stream, entry_id)
            return
        applied = await self._apply(message, envelope, handler)
        if applied is None:
            return  # failed: left pending (or parked)
        if not applied:
            log.info("%s: event %s already processed, skipped", self.service, envelope.id)
        await message.ack()
        self._handled(stream, entry_id)

    def _handled(self, stream: str, entry_id: str) -> None:
        last = self._last_handled.get(stream)
        if last is None or _entry_key(entry_id) > _entry_key(last):
            self._last_handled[stream] = entry_id

    async def _apply(
        self, message: StreamMessage, envelope: EventEnvelope, handler: EventHandler
    ) -> bool | None:
        """Apply once, retrying infrastructure failures; None when it failed on its content."""
        delays = self._retry_delays()
        attempt = 0
        while True:
            try:
                return await anyio.to_thread.run_sync(
                    apply_once,
                    self._session_factory,
                    self._processed,
                    self.service,
                    envelope,
                    handler,
                )
            except Exception as exc:
                if not is_infrastructure_error(exc):
                    await self._on_failure(message, envelope, exc)
                    return None
                attempt += 1
                self.infrastructure_retries += 1
                delay = next(delays)
                log.warning(
                    "%s: event %s (%s) not applied, a dependency is unavailable (attempt %d; "
                    "retrying in %.1fs, never dead-lettered for this): %s",
                    self.service,
                    envelope.id,
                    envelope.type,
                    attempt,
                    delay,
                    _describe(exc),
                )
            if not await self._pause_keeping_claim(message, delay):
                return None  # stopping: the entry stays pending for whoever reads next

    async def _pause_keeping_claim(self, message: StreamMessage, seconds: float) -> bool:
        """Sleep ``seconds``, re-claiming the entry so no reclaimer takes it; False if stopping."""
        raw = message.raw_message
        stream, entry_id = raw["channel"], raw["message_ids"][0]
        step = max(0.05, self._reclaim_idle_ms / 2000)
        remaining = seconds
        while remaining > 0:
            pause = min(step, remaining)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_requested.wait(), pause)
            if self._stop_requested.is_set():
                return False
            remaining -= pause
            client = self._redis
            if client is not None:
                # JUSTID: resets the idle time without counting a delivery.
                with contextlib.suppress(Exception):
                    await client.xclaim(
                        stream, self.service, self.consumer_name, 0, [entry_id], justid=True
                    )
        return True

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
        self.dead_lettered += 1

    # -- group membership -----------------------------------------------------------------

    async def _forget_dead_consumers(self, client: aredis.Redis, stream: str) -> None:
        # Consumer names include host and pid, so every restart adds one to the group. One
        # idle that long with nothing pending is a dead replica: it leaves the group. (One
        # with entries pending keeps them until a reclaimer takes them over, then goes.)
        try:
            for consumer in await client.xinfo_consumers(stream, self.service):
                name = _text(consumer["name"])
                if name == self.consumer_name or int(consumer["pending"]):
                    continue
                if int(consumer["idle"]) >= self._forget_idle_ms:
                    await client.xgroup_delconsumer(stream, self.service, name)
                    log.info("%s: removed dead consumer %s from %s", self.service, name, stream)
        except ResponseError as exc:
            log.debug("%s: could not list the consumers of %s: %s", self.service, stream, exc)

    async def _forget_consumer_if_idle(self, client: aredis.Redis) -> None:
        # Drop ours when it holds nothing (deleting it would discard its pending entries).
        for stream in self._streams:
            try:
                pending = await client.xpending_range(
                    stream, self.service, min="-", max="+", count=1, consumername=self.consumer_name
                )
                if not pending:
                    await client.xgroup_delconsumer(stream, self.service, self.consumer_name)
            except Exception as exc:
                log.debug("%s: could not drop consumer on %s: %s", self.service, stream, exc)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _entry_key(entry_id: str) -> tuple[int, int]:
    millis, _, sequence = entry_id.partition("-")
    return int(millis or 0), int(sequence or 0)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_LENGTH]
