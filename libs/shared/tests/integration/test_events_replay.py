"""Replaying a stream from the start into a handler (read-model rebuilds)."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
    apply_once,
    new_envelope,
    replay,
    to_fields,
)

pytestmark = pytest.mark.integration


def publish_many(redis_client: redis.Redis, stream: str, count: int) -> list[EventEnvelope]:
    envelopes = [
        new_envelope("user.registered", {"userId": str(uuid.uuid4())}, "test") for _ in range(count)
    ]
    for envelope in envelopes:
        redis_client.xadd(stream, to_fields(envelope))
    return envelopes


def test_replay_feeds_every_event_in_order_across_batches(
    sessions: sessionmaker[Session],
    processed: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    published = publish_many(redis_client, stream, 7)
    redis_client.xadd(stream, {"other": "not an envelope"})
    seen: list[str] = []

    count = replay(
        redis_url,
        stream,
        lambda session, envelope: seen.append(envelope.id),
        session_factory=sessions,
        batch_size=3,
    )

    assert count == 7
    assert seen == [e.id for e in published]


def test_replay_reapplies_processed_events_and_marks_the_rest(
    engine: Engine,
    sessions: sessionmaker[Session],
    processed: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    first, second = publish_many(redis_client, stream, 2)
    assert apply_once(sessions, processed, "svc", first, lambda s, e: None)
    seen: list[str] = []

    count = replay(
        redis_url,
        stream,
        lambda session, envelope: seen.append(envelope.id),
        session_factory=sessions,
        processed_table=processed,
        consumer="svc",
    )

    assert count == 2
    assert seen == [first.id, second.id]
    with engine.connect() as conn:
        marked = set(conn.scalars(select(processed.c.event_id)))
    assert marked == {first.id, second.id}
    assert not apply_once(sessions, processed, "svc", second, lambda s, e: None)


def test_consumer_replay_dispatches_by_type(
    sessions: sessionmaker[Session],
    processed: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    registered = publish_many(redis_client, stream, 2)
    redis_client.xadd(stream, to_fields(new_envelope("user.ignored", {}, "test")))
    consumer = EventConsumer(
        service="replayer",
        redis_url=redis_url,
        session_factory=sessions,
        processed_table=processed,
        streams=[stream],
    )
    seen: list[str] = []

    @consumer.handles("user.registered")
    def on_registered(session: Session, envelope: EventEnvelope) -> None:
        seen.append(envelope.id)

    assert consumer.replay(stream) == 3
    assert seen == [e.id for e in registered]
