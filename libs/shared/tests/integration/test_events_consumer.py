"""EventConsumer against the real MariaDB and Redis: history, idempotence, reclaim, dead letters."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
import redis
from sqlalchemy.orm import Session

from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
    new_envelope,
    to_fields,
)

from .conftest import ReadModel, eventually, make_consumer, pending_count, publish

pytestmark = pytest.mark.integration


def read_without_ack(redis_client: redis.Redis, stream: str, group: str, name: str) -> int:
    """Read new entries as consumer ``name`` and never acknowledge them (like a killed process)."""
    read = cast("list[tuple[str, list[Any]]]", redis_client.xreadgroup(group, name, {stream: ">"}))
    return sum(len(entries) for _, entries in read)


def dead_letters(redis_client: redis.Redis, service: str) -> list[dict[str, str]]:
    entries = cast("list[tuple[str, dict[str, str]]]", redis_client.xrange(f"dead.{service}"))
    return [fields for _, fields in entries]


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
    await eventually(lambda: len(model.applied_ids()) == 2)
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

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
    await eventually(lambda: marker in model.applied_ids())
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

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
    await eventually(lambda: model.applied_ids() == [event_id])
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

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
    await eventually(lambda: len(attempts) == 2)
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

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
    await eventually(lambda: model.applied_ids() == good, timeout=3.0)
    late = publish(redis_client, stream)
    await eventually(lambda: redis_client.xlen(f"dead.{service}") == 1)
    await eventually(lambda: late in model.applied_ids())
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

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
    await eventually(lambda: redis_client.xlen(f"dead.{service}") == 1)

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
    await eventually(lambda: model.applied_ids() == [good])
    await eventually(lambda: redis_client.xlen(f"dead.{service}") == 1)

    (dead,) = dead_letters(redis_client, service)
    assert dead["error"].startswith("not an event envelope")
    assert dead["envelope"] == "{not json"
    assert dead["deliveries"] == "1"  # parked at its first delivery, never retried
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)


async def test_stop_leaves_no_idle_consumer_behind(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, consumer_name="replica-1")
    consumer.add_handler("user.registered", model.record)
    await consumer.start()
    publish(redis_client, stream)
    await eventually(lambda: len(model.applied_ids()) == 1)
    await eventually(lambda: pending_count(redis_client, stream, service) == 0)

    await consumer.stop()

    names = [c["name"] for c in redis_client.xinfo_consumers(stream, service)]
    assert "replica-1" not in names
