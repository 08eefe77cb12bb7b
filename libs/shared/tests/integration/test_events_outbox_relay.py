"""Transactional outbox + relay against the real MariaDB and Redis (and once on SQLite)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import cast

import pytest
import redis
from sqlalchemy import Engine, MetaData, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import (
    OutboxRelay,
    RelayPublishError,
    add_event,
    from_fields,
    outbox_table,
)

from .conftest import closed_redis_url, commit_events, wait_until

pytestmark = pytest.mark.integration


def fail_after_adding_an_event(sessions: sessionmaker[Session], outbox: Table, stream: str) -> None:
    with sessions.begin() as session:
        add_event(session, outbox, stream=stream, type="user.registered", data={}, producer="t")
        raise RuntimeError("use case failed")


def published_ids(redis_client: redis.Redis, stream: str) -> list[str]:
    entries = cast("list[tuple[str, dict[str, str]]]", redis_client.xrange(stream))
    return [from_fields(fields).id for _, fields in entries]


def test_rolled_back_event_is_never_published(
    engine: Engine,
    sessions: sessionmaker[Session],
    outbox: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    with pytest.raises(RuntimeError, match="use case failed"):
        fail_after_adding_an_event(sessions, outbox, stream)
    committed = commit_events(sessions, outbox, stream)
    relay = OutboxRelay(engine, outbox, redis_url)

    assert relay.publish_pending() == 1
    assert relay.publish_pending() == 0
    assert published_ids(redis_client, stream) == committed
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(outbox)) == 1


def test_events_survive_a_redis_outage_and_are_published_once_it_is_back(
    engine: Engine,
    sessions: sessionmaker[Session],
    outbox: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    relays: list[OutboxRelay],
) -> None:
    down = OutboxRelay(engine, outbox, closed_redis_url(), poll_interval=0.1, redis_timeout=0.5)
    relays.append(down)
    down.start()
    committed = commit_events(sessions, outbox, stream, count=3)
    committed += commit_events(sessions, outbox, stream, count=2)

    def failed_at_least_twice() -> bool:
        with engine.connect() as conn:
            rows = conn.execute(select(outbox.c.attempts, outbox.c.last_error)).all()
        return len(rows) == 5 and all(r.attempts >= 2 and r.last_error for r in rows)

    wait_until(failed_at_least_twice)
    down.stop()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(outbox.c.published_at.is_not(None))) == 0
        assert "Connection" in (conn.scalar(select(outbox.c.last_error).limit(1)) or "")
    assert redis_client.xlen(stream) == 0

    up = OutboxRelay(engine, outbox, redis_url, poll_interval=0.1)
    relays.append(up)
    up.start()
    wait_until(lambda: redis_client.xlen(stream) >= 5)
    time.sleep(0.3)  # a few more polls: nothing may be published twice

    assert published_ids(redis_client, stream) == committed
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(outbox.c.published_at.is_(None))) == 0


def test_publish_pending_reports_a_redis_failure_and_keeps_rows_pending(
    engine: Engine, sessions: sessionmaker[Session], outbox: Table, stream: str
) -> None:
    commit_events(sessions, outbox, stream, count=2)
    relay = OutboxRelay(engine, outbox, closed_redis_url(), redis_timeout=0.5)
    try:
        with pytest.raises(RelayPublishError):
            relay.publish_pending()
        with pytest.raises(RelayPublishError):
            relay.publish_pending()
    finally:
        relay.stop()

    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.attempts, outbox.c.published_at)).all()
    assert [(r.attempts, r.published_at) for r in rows] == [(2, None), (2, None)]


def test_relay_is_woken_by_the_commit_not_the_poll(
    engine: Engine,
    sessions: sessionmaker[Session],
    outbox: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    relays: list[OutboxRelay],
) -> None:
    relay = OutboxRelay(engine, outbox, redis_url, poll_interval=60.0)
    relays.append(relay)
    relay.start()
    time.sleep(0.2)  # let the start-up backlog pass finish: the next one must come from a wake-up

    started = time.monotonic()
    committed = commit_events(sessions, outbox, stream)
    wait_until(lambda: redis_client.xlen(stream) == 1, timeout=5.0)

    assert time.monotonic() - started < 2.0
    assert published_ids(redis_client, stream) == committed


def test_two_relays_never_publish_the_same_row(
    engine: Engine,
    sessions: sessionmaker[Session],
    outbox: Table,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    committed = commit_events(sessions, outbox, stream, count=200)
    relays = [OutboxRelay(engine, outbox, redis_url, batch_size=10) for _ in range(2)]
    counts = [0, 0]
    barrier = threading.Barrier(2)

    def drain(index: int) -> None:
        barrier.wait()
        while (published := relays[index].publish_pending()) > 0:
            counts[index] += published

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for relay in relays:
        relay.stop()

    ids = published_ids(redis_client, stream)
    assert sum(counts) == 200
    assert len(ids) == 200
    assert sorted(ids) == sorted(committed)


def test_add_event_and_relay_on_sqlite(
    tmp_path: Path, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'events.sqlite'}")
    metadata = MetaData()
    outbox = outbox_table(metadata)
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    relay = OutboxRelay(engine, outbox, redis_url, poll_interval=60.0)
    relay.start()
    try:
        with pytest.raises(RuntimeError, match="use case failed"):
            fail_after_adding_an_event(sessions, outbox, stream)
        committed = commit_events(sessions, outbox, stream, count=2)

        wait_until(lambda: redis_client.xlen(stream) == 2)
    finally:
        relay.stop()
        engine.dispose()

    assert published_ids(redis_client, stream) == committed
