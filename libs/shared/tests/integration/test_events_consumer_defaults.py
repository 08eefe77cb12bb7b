"""What a consumer does with the settings it is built with by default, as the docs state them:
an entry reclaimed after 5 s idle, dead-lettered at its fifth delivery, at most ten entries
held at once, an outage retried after 0.5 s and then twice as long each time."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, cast

import pytest
import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clinic_shared.events import EventConsumer, EventEnvelope

from .conftest import ReadModel, eventually, make_consumer, pending_count, publish

pytestmark = pytest.mark.integration


async def test_an_entry_a_dead_consumer_left_is_reclaimed_once_idle_for_5_s(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    event_id = publish(redis_client, stream)
    redis_client.xgroup_create(stream, service, id="0", mkstream=True)
    redis_client.xreadgroup(service, "crashed", {stream: ">"})
    ((entry_id, _),) = cast("list[tuple[str, Any]]", redis_client.xrange(stream))
    # The dead consumer read it 4 s ago: due in 1 s, at the reclaimer's second look (2.5 s).
    redis_client.xclaim(stream, service, "crashed", 0, [entry_id], idle=4_000)
    consumer = EventConsumer(
        service=service,
        redis_url=redis_url,
        session_factory=model.sessions,
        processed_table=model.processed,
        streams=[stream],
        handlers={"user.registered": model.record},
    )
    consumers.append(consumer)

    loop = asyncio.get_running_loop()
    started = loop.time()
    await consumer.start()
    await asyncio.sleep(0.5)
    assert model.applied_ids() == []  # 4.5 s idle: not yet
    await eventually(lambda: model.applied_ids() == [event_id])
    assert loop.time() - started < 3.5  # taken at the second look, not a later one


async def test_an_entry_that_keeps_failing_is_dead_lettered_at_its_fifth_delivery(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    calls: list[str] = []

    def fail(session: Session, envelope: EventEnvelope) -> None:
        calls.append(envelope.id)
        raise ValueError("cannot apply this one")

    poison = publish(redis_client, stream, "user.poison")
    consumer = make_consumer(model, service, stream, redis_url)  # reclaiming after 300 ms
    consumer.add_handler("user.poison", fail)
    consumers.append(consumer)

    await consumer.start()
    await eventually(lambda: redis_client.xlen(f"dead.{service}") == 1, timeout=10.0)

    assert calls == [poison] * 5
    ((_, dead),) = cast("list[tuple[str, dict[str, str]]]", redis_client.xrange(f"dead.{service}"))
    assert dead["deliveries"] == "5"


async def test_a_consumer_holds_at_most_ten_entries_at_once(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    release = threading.Event()

    def slow(session: Session, envelope: EventEnvelope) -> None:
        release.wait(timeout=10.0)
        model.record(session, envelope)

    published = [publish(redis_client, stream) for _ in range(25)]
    consumer = make_consumer(model, service, stream, redis_url, reclaim_idle_ms=60_000)
    consumer.add_handler("user.registered", slow)
    consumers.append(consumer)

    try:
        await consumer.start()
        await eventually(lambda: pending_count(redis_client, stream, service) > 0)
        await asyncio.sleep(0.3)  # several of its reads, were it reading while busy
        assert pending_count(redis_client, stream, service) == 10
    finally:
        release.set()
    await eventually(lambda: model.applied_ids() == published)


async def test_an_outage_is_retried_after_half_a_second_then_twice_as_long(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts = 0

    def database_down_twice(session: Session, envelope: EventEnvelope) -> None:
        nonlocal attempts
        attempts += 1
        if attempts <= 2:
            raise OperationalError("SELECT 1", {}, ConnectionError("2003: server gone"))
        model.record(session, envelope)

    event_id = publish(redis_client, stream)
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", database_down_twice)
    consumers.append(consumer)

    with caplog.at_level(logging.WARNING, logger="clinic_shared.events.consumer"):
        await consumer.start()
        await eventually(lambda: model.applied_ids() == [event_id])

    delays = [
        r.getMessage().split("retrying in ")[1].split("s,")[0]
        for r in caplog.records
        if "a dependency is unavailable" in r.getMessage()
    ]
    assert delays == ["0.5", "1.0"]


async def test_a_lost_stream_is_read_again_at_the_supervisors_next_look_a_second_on(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    consumer = make_consumer(model, service, stream, redis_url)  # its reader blocks 100 ms
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await consumer.start()
    redis_client.delete(stream)  # the group goes with it: the reader ends on NOGROUP

    await eventually(lambda: consumer.restarts == 1)
    assert loop.time() - started < 1.7  # the look at 1 s, not one at 2 s
    event_id = publish(redis_client, stream)
    await eventually(lambda: model.applied_ids() == [event_id])
