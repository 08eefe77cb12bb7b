"""EventConsumer against the real MariaDB and Redis: history, idempotence, reclaim, dead letters."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, cast

import pytest
import redis
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
    new_envelope,
    processed_events_table,
    to_fields,
)

pytestmark = pytest.mark.integration

RECLAIM_IDLE_MS = 300


class ReadModel:
    """A throw-away database with a table the handlers append to (no unique key on purpose)."""

    def __init__(self, engine: Engine) -> None:
        metadata = MetaData()
        self.processed = processed_events_table(metadata)
        self.applied = Table(
            "applied",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False),
            Column("event_type", String(100), nullable=False),
        )
        metadata.create_all(engine)
        self.engine = engine
        self.sessions: sessionmaker[Session] = make_session_factory(engine)

    def record(self, session: Session, envelope: EventEnvelope) -> None:
        session.execute(insert(self.applied).values(event_id=envelope.id, event_type=envelope.type))

    def applied_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(self.applied.c.event_id).order_by(self.applied.c.id)))

    def processed_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(self.processed)) or 0


@pytest.fixture
def model(database_url_factory: Callable[[str], str]) -> Iterator[ReadModel]:
    engine = create_engine_for(database_url_factory("events"))
    yield ReadModel(engine)
    engine.dispose()


@pytest.fixture
def stream(unique_name: Callable[[str], str]) -> str:
    return unique_name("events.test")


@pytest.fixture
def service(redis_client: redis.Redis) -> Iterator[str]:
    name = f"svc{uuid.uuid4().hex[:10]}"
    yield name
    redis_client.delete(f"dead.{name}")


@pytest.fixture
async def consumers() -> AsyncIterator[list[EventConsumer]]:
    started: list[EventConsumer] = []
    yield started
    for consumer in started:
        await consumer.stop()


def make_consumer(
    model: ReadModel, service: str, stream: str, redis_url: str, **options: object
) -> EventConsumer:
    return EventConsumer(
        service=service,
        redis_url=redis_url,
        session_factory=model.sessions,
        processed_table=model.processed,
        streams=[stream],
        reclaim_idle_ms=RECLAIM_IDLE_MS,
        block_ms=100,
        **options,  # type: ignore[arg-type]
    )


def publish(redis_client: redis.Redis, stream: str, event_type: str = "user.registered") -> str:
    envelope = new_envelope(event_type, {"userId": str(uuid.uuid4())}, "test")
    redis_client.xadd(stream, to_fields(envelope))
    return envelope.id


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def read_without_ack(redis_client: redis.Redis, stream: str, group: str, name: str) -> int:
    """Read new entries as consumer ``name`` and never acknowledge them (like a killed process)."""
    read = cast("list[tuple[str, list[Any]]]", redis_client.xreadgroup(group, name, {stream: ">"}))
    return sum(len(entries) for _, entries in read)


def dead_letters(redis_client: redis.Redis, service: str) -> list[dict[str, str]]:
    entries = cast("list[tuple[str, dict[str, str]]]", redis_client.xrange(f"dead.{service}"))
    return [fields for _, fields in entries]


def pending_count(redis_client: redis.Redis, stream: str, group: str) -> int:
    return int(redis_client.xpending(stream, group)["pending"])


async def test_new_group_reads_history_and_acks_unknown_types(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    before = [publish(redis_client, stream), publish(redis_client, stream, "user.unknown")]
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)

    await consumer.start()
    after = publish(redis_client, stream)
    await wait_until(lambda: len(model.applied_ids()) == 2)
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    assert model.applied_ids() == [before[0], after]
    assert model.processed_count() == 2


async def test_duplicate_delivery_is_applied_once(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    envelope = new_envelope("user.updated", {"userId": "u"}, "test")
    redis_client.xadd(stream, to_fields(envelope))
    redis_client.xadd(stream, to_fields(envelope))
    marker = publish(redis_client, stream, "user.updated")
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.updated", model.record)
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: marker in model.applied_ids())
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    assert model.applied_ids() == [envelope.id, marker]
    assert model.processed_count() == 2


async def test_message_of_a_killed_consumer_is_reclaimed(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    event_id = publish(redis_client, stream)
    # What a consumer killed mid-handler leaves behind: read by it, never acknowledged.
    redis_client.xgroup_create(stream, service, id="0", mkstream=True)
    assert read_without_ack(redis_client, stream, service, "killed-1") == 1
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: model.applied_ids() == [event_id])
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    assert model.applied_ids() == [event_id]


async def test_failed_handler_rolls_back_and_is_retried_until_it_succeeds(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    attempts: list[str] = []

    def flaky(session: Session, envelope: EventEnvelope) -> None:
        model.record(session, envelope)
        attempts.append(envelope.id)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup after a partial write")

    event_id = publish(redis_client, stream)
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", flaky)
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: len(attempts) == 2)
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    assert model.applied_ids() == [event_id]
    assert redis_client.xlen(f"dead.{service}") == 0


async def test_poison_message_goes_to_dead_letters_while_others_flow(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    calls: list[str] = []
    calls_lock = threading.Lock()

    def fail(session: Session, envelope: EventEnvelope) -> None:
        with calls_lock:
            calls.append(envelope.id)
        raise ValueError("cannot apply this one")

    poison = publish(redis_client, stream, "user.poison")
    good = [publish(redis_client, stream) for _ in range(3)]
    consumer = make_consumer(model, service, stream, redis_url, max_deliveries=3)
    consumer.add_handler("user.registered", model.record)
    consumer.add_handler("user.poison", fail)
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: model.applied_ids() == good, timeout=3.0)
    late = publish(redis_client, stream)
    await wait_until(lambda: redis_client.xlen(f"dead.{service}") == 1)
    await wait_until(lambda: late in model.applied_ids())
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    assert calls == [poison] * 3
    (dead,) = dead_letters(redis_client, service)
    assert dead["error"] == "ValueError: cannot apply this one"
    assert dead["deliveries"] == "3"
    assert dead["stream"] == stream
    assert dead["consumer"] == service
    assert poison in dead["envelope"]
    assert model.applied_ids() == [*good, late]


async def test_message_that_keeps_crashing_consumers_is_parked_unread(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    calls: list[str] = []
    publish(redis_client, stream)
    redis_client.xgroup_create(stream, service, id="0", mkstream=True)
    assert read_without_ack(redis_client, stream, service, "crashed") == 1
    # Four more consumers took it and died without recording any failure.
    ((entry_id, _),) = cast("list[tuple[str, Any]]", redis_client.xrange(stream))
    redis_client.xclaim(stream, service, "crashed", 0, [entry_id], retrycount=5)
    consumer = make_consumer(model, service, stream, redis_url, max_deliveries=5)
    consumer.add_handler("user.registered", lambda s, e: calls.append(e.id))
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: redis_client.xlen(f"dead.{service}") == 1)

    assert calls == []
    assert pending_count(redis_client, stream, service) == 0


async def test_malformed_entry_is_parked_at_once(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    redis_client.xadd(stream, {"envelope": "{not json"})
    good = publish(redis_client, stream)
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)

    await consumer.start()
    await wait_until(lambda: model.applied_ids() == [good])
    await wait_until(lambda: redis_client.xlen(f"dead.{service}") == 1)

    (dead,) = dead_letters(redis_client, service)
    assert dead["error"].startswith("not an event envelope")
    assert dead["envelope"] == "{not json"
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)


async def test_stop_leaves_no_idle_consumer_behind(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, consumer_name="replica-1")
    consumer.add_handler("user.registered", model.record)
    await consumer.start()
    publish(redis_client, stream)
    await wait_until(lambda: len(model.applied_ids()) == 1)
    await wait_until(lambda: pending_count(redis_client, stream, service) == 0)

    await consumer.stop()

    names = [c["name"] for c in redis_client.xinfo_consumers(stream, service)]
    assert "replica-1" not in names
