"""Finding 14: the relay notices a stream that lost what it published and publishes it again."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

import pytest
import redis
from sqlalchemy import Engine, Table, func, select

from clinic_shared.clock import utcnow
from clinic_shared.db import make_session_factory
from clinic_shared.events import OutboxRelay, from_fields
from clinic_shared.events.relay import republish

from .conftest import commit_events

pytestmark = pytest.mark.integration


def pending(engine: Engine, outbox: Table, stream: str) -> int:
    with engine.connect() as conn:
        query = select(func.count()).where(
            outbox.c.stream == stream, outbox.c.published_at.is_(None)
        )
        return int(conn.scalar(query) or 0)


def stream_event_ids(redis_client: redis.Redis, stream: str) -> list[str]:
    entries = cast("list[tuple[bytes, dict[bytes, bytes]]]", redis_client.xrange(stream))
    return [from_fields(fields).id for _, fields in entries]


def test_a_stream_that_lost_its_entries_is_detected_and_republished(
    engine: Engine,
    outbox: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    relay = OutboxRelay(engine, outbox, redis_url)
    sessions = make_session_factory(engine)
    try:
        sent = commit_events(sessions, outbox, stream, 3)
        assert relay.publish_pending() == 3
        assert relay.check_streams() == []

        redis_client.delete(stream)  # Redis restarted without persistence
        with caplog.at_level(logging.ERROR, logger="clinic_shared.events.relay"):
            assert relay.check_streams() == [stream]

        assert any("went backwards" in r.getMessage() for r in caplog.records)
        assert relay.stream_regressions == 1
        assert pending(engine, outbox, stream) == 3
        assert relay.publish_pending() == 3
        assert stream_event_ids(redis_client, stream) == sent
        assert relay.check_streams() == []  # whole again
    finally:
        relay.stop()


def test_republish_marks_pending_only_what_was_published_since(
    engine: Engine, outbox: Table, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    relay = OutboxRelay(engine, outbox, redis_url)
    sessions = make_session_factory(engine)
    try:
        commit_events(sessions, outbox, stream, 2)
        relay.publish_pending()
        cut = utcnow() + timedelta(microseconds=1)
        later = commit_events(sessions, outbox, stream, 1)
        relay.publish_pending()

        assert republish(engine, outbox, since=cut, stream=stream) == 1
        assert republish(engine, outbox, since=cut, stream="events.other") == 0
        assert pending(engine, outbox, stream) == 1
        redis_client.delete(stream)
        relay.publish_pending()
        assert stream_event_ids(redis_client, stream) == later
    finally:
        relay.stop()
