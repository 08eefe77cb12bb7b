"""Issue 11, findings 14, 19 and 20: consumers that never stop silently nor park events for an
outage, reclaim a killed replica's events in seconds, and count what they cannot handle."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import cast

import pytest
import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
)
from clinic_shared.events.health import ConsumerNotRunningError, EventsHealth

from .conftest import ReadModel, closed_redis_url, eventually, make_consumer, pending_count, publish

pytestmark = pytest.mark.integration


# -- 14: Redis back without its data --------------------------------------------------------


async def test_consumer_recreates_its_group_and_resumes_after_redis_lost_its_data(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=1.5)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    health = EventsHealth()
    health.consumer, health.expects_consumer = consumer, True
    await consumer.start()
    first = publish(redis_client, stream)
    await eventually(lambda: model.applied_ids() == [first])
    health.check()

    # What FLUSHALL or a restart without persistence does to this stream: gone, group too.
    redis_client.delete(stream)
    await eventually(lambda: not consumer.running, timeout=3.0)
    with pytest.raises(ConsumerNotRunningError):
        health.check()  # /readyz says so while the subscriber is down

    await eventually(lambda: consumer.running, timeout=5.0)
    health.check()
    after = publish(redis_client, stream)
    await eventually(lambda: model.applied_ids() == [first, after])
    assert consumer.restarts == 1
    assert consumer.stream_regressions == 1


async def test_consumer_starts_without_redis_and_waits_for_it_healthy(
    model: ReadModel, service: str, stream: str, consumers: list[EventConsumer]
) -> None:
    consumer = make_consumer(model, service, stream, closed_redis_url(), watch_interval=0.2)
    consumers.append(consumer)

    await consumer.start()  # does not raise: the service takes writes through its outbox

    assert not consumer.running
    assert consumer.healthy  # waiting for Redis alone keeps the service ready (finding 20)
    await asyncio.sleep(0.5)
    assert consumer.healthy


async def test_a_stopped_consumer_is_not_healthy(
    model: ReadModel, service: str, stream: str, redis_url: str
) -> None:
    consumer = make_consumer(model, service, stream, redis_url)
    health = EventsHealth()
    health.consumer, health.expects_consumer = consumer, True
    with pytest.raises(ConsumerNotRunningError):
        health.check()
    await consumer.start()
    assert consumer.running
    assert consumer.healthy
    await consumer.stop()
    assert not consumer.healthy
    with pytest.raises(ConsumerNotRunningError):
        health.check()


# -- 19: outages are not poison; replaying the dead stream; reclaim in seconds ---------------


async def test_database_outage_is_retried_without_limit_and_never_dead_lettered(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    attempts: list[str] = []

    def database_down_for_a_while(session: Session, envelope: EventEnvelope) -> None:
        attempts.append(envelope.id)
        if len(attempts) <= 8:  # far more than max_deliveries
            raise OperationalError("SELECT 1", {}, ConnectionError("2003: server gone"))
        model.record(session, envelope)

    event_id = publish(redis_client, stream)
    consumer = make_consumer(
        model,
        service,
        stream,
        redis_url,
        max_deliveries=2,
        first_retry_delay=0.02,
        max_retry_delay=0.1,
    )
    consumer.add_handler("user.registered", database_down_for_a_while)
    consumers.append(consumer)

    await consumer.start()
    await eventually(lambda: model.applied_ids() == [event_id])
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

    assert redis_client.xlen(f"dead.{service}") == 0
    assert consumer.infrastructure_retries == 8
    assert attempts == [event_id] * 9


async def test_an_entry_retried_through_an_outage_is_not_taken_by_another_replica(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    calls: list[str] = []
    recovered = asyncio.Event()

    def outage(session: Session, envelope: EventEnvelope) -> None:
        calls.append(envelope.id)
        if not recovered.is_set():
            raise OperationalError("SELECT 1", {}, ConnectionError("2013: lost connection"))
        model.record(session, envelope)

    event_id = publish(redis_client, stream)
    first = make_consumer(model, service, stream, redis_url, first_retry_delay=0.05)
    first.add_handler("user.registered", outage)
    consumers.append(first)
    await first.start()
    await eventually(lambda: len(calls) >= 1)
    taken_over: list[str] = []
    second = make_consumer(model, service, stream, redis_url, consumer_name="replica-2")
    second.add_handler("user.registered", lambda _s, e: taken_over.append(e.id))
    consumers.append(second)
    await second.start()

    await asyncio.sleep(1.2)  # four reclaim periods: the entry is kept claimed meanwhile
    recovered.set()
    await eventually(lambda: model.applied_ids() == [event_id])

    assert taken_over == []
    assert redis_client.xlen(f"dead.{service}") == 0


async def test_replay_dead_applies_parked_events_once_the_cause_is_fixed(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    fixed = False

    def buggy(session: Session, envelope: EventEnvelope) -> None:
        if not fixed:
            raise ValueError("a bug in the handler")
        model.record(session, envelope)

    parked = [publish(redis_client, stream) for _ in range(2)]
    consumer = make_consumer(model, service, stream, redis_url, max_deliveries=1)
    consumer.add_handler("user.registered", buggy)
    consumers.append(consumer)
    await consumer.start()
    await eventually(lambda: redis_client.xlen(f"dead.{service}") == 2)
    assert consumer.dead_lettered == 2

    still_broken = await asyncio.to_thread(consumer.replay_dead)
    assert (still_broken.applied, len(still_broken.failed)) == (0, 2)
    assert redis_client.xlen(f"dead.{service}") == 2

    fixed = True
    result = await asyncio.to_thread(consumer.replay_dead)

    assert (result.applied, result.already_processed, result.failed) == (2, 0, [])
    # Each once; the two failed side by side, so the dead stream holds them in either order.
    assert sorted(model.applied_ids()) == sorted(parked)
    assert redis_client.xlen(f"dead.{service}") == 0
    again = await asyncio.to_thread(consumer.replay_dead)
    assert again.applied == 0


async def test_a_killed_consumers_events_are_reclaimed_in_seconds_by_default(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    event_id = publish(redis_client, stream)
    redis_client.xgroup_create(stream, service, id="0", mkstream=True)
    redis_client.xreadgroup(service, "killed", {stream: ">"})  # read, never acknowledged
    consumer = EventConsumer(
        service=service,
        redis_url=redis_url,
        session_factory=model.sessions,
        processed_table=model.processed,
        streams=[stream],
        handlers={"user.registered": model.record},
    )
    consumers.append(consumer)

    started = time.monotonic()
    await consumer.start()
    await eventually(lambda: model.applied_ids() == [event_id], timeout=10.0)

    assert time.monotonic() - started < 9.0  # idle 5 s + one scan, not 60 s


async def test_dead_consumers_leave_the_group_on_start(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    publish(redis_client, stream)
    redis_client.xgroup_create(stream, service, id="$", mkstream=True)
    redis_client.xgroup_createconsumer(stream, service, "gone-idle")  # holds nothing
    publish(redis_client, stream)
    redis_client.xreadgroup(service, "gone-holding", {stream: ">"})  # holds one entry
    await asyncio.sleep(0.4)
    # (XREADGROUP with nothing to read does not make a consumer: these two exist.)
    assert len(redis_client.xinfo_consumers(stream, service)) == 2
    consumer = make_consumer(
        model, service, stream, redis_url, forget_idle_ms=300, reclaim_idle_ms=60_000
    )
    consumers.append(consumer)

    await consumer.start()

    names = {c["name"] for c in redis_client.xinfo_consumers(stream, service)}
    assert "gone-idle" not in names
    assert "gone-holding" in names  # its entry must be reclaimed first


# -- 20: unknown event types are counted and logged -----------------------------------------


async def test_unknown_event_types_are_counted_and_logged(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    unknown = publish(redis_client, stream, "user.merged")
    publish(redis_client, stream, "user.merged")
    known = publish(redis_client, stream)
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)

    with caplog.at_level(logging.WARNING, logger="clinic_shared.events.consumer"):
        await consumer.start()
        await eventually(lambda: model.applied_ids() == [known])
        await eventually(lambda: pending_count(redis_client, stream, service) == 0)

    assert consumer.unknown_events == {(stream, "user.merged"): 2}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("user.merged" in text and unknown in text for text in warnings)
    health = EventsHealth()
    health.consumer = consumer
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for metric in health.collect()
        for sample in metric.samples
    }
    key = ("clinic_events_unknown_total", (("stream", stream), ("type", "user.merged")))
    assert samples[key] == 2
    assert cast(float, samples[("clinic_events_consumer_running", ())]) == 1
