"""What the event kit's integration tests share: an outbox on MariaDB, a consumer's read model,
the Redis names each test gets, and waiting for a condition.

A module that wants the outbox on SQLite overrides ``engine``; ``outbox``, ``sessions`` and
``processed`` then follow it.
"""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import redis
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import (
    EventConsumer,
    EventEnvelope,
    OutboxRelay,
    add_event,
    new_envelope,
    outbox_table,
    processed_events_table,
    to_fields,
)


def closed_redis_url() -> str:
    """A Redis URL on a port nobody listens on now (a fixed one may be another test's Redis)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """``wait_until`` for async tests: the event loop (and the consumer) runs meanwhile."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
def stream(unique_name: Callable[[str], str]) -> str:
    return unique_name("events.test")


# -- the producer's side: an outbox and its relays ------------------------------------------


@pytest.fixture
def engine(database_url_factory: Callable[[str], str]) -> Iterator[Engine]:
    engine = create_engine_for(database_url_factory("events"))
    yield engine
    engine.dispose()


@pytest.fixture
def outbox(engine: Engine) -> Table:
    metadata = MetaData()
    table = outbox_table(metadata)
    metadata.create_all(engine)
    return table


@pytest.fixture
def processed(engine: Engine) -> Table:
    metadata = MetaData()
    table = processed_events_table(metadata)
    metadata.create_all(engine)
    return table


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def relays() -> Iterator[list[OutboxRelay]]:
    """Relays a test started, stopped at its end."""
    started: list[OutboxRelay] = []
    yield started
    for relay in started:
        relay.stop()


def commit_events(
    sessions: sessionmaker[Session], outbox: Table, stream: str, count: int = 1
) -> list[str]:
    """``count`` events for ``stream`` added to the outbox in one committed transaction."""
    with sessions.begin() as session:
        return [
            add_event(
                session,
                outbox,
                stream=stream,
                type="user.registered",
                data={"n": n},
                producer="test",
            ).id
            for n in range(count)
        ]


# -- the consumer's side: a read model and its consumers ------------------------------------


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
def service(redis_client: redis.Redis) -> Iterator[str]:
    """A consumer group name of the test's own; its dead letters are deleted after it."""
    name = f"svc{uuid.uuid4().hex[:10]}"
    yield name
    redis_client.delete(f"dead.{name}")


@pytest.fixture
async def consumers() -> AsyncIterator[list[EventConsumer]]:
    """Consumers a test started, stopped at its end."""
    started: list[EventConsumer] = []
    yield started
    for consumer in started:
        await consumer.stop()


def make_consumer(
    model: ReadModel, service: str, stream: str, redis_url: str, **options: Any
) -> EventConsumer:
    """A consumer of ``stream`` into ``model``: reclaiming after 300 ms, blocking 100 ms."""
    settings: dict[str, Any] = {"reclaim_idle_ms": 300, "block_ms": 100, **options}
    return EventConsumer(
        service=service,
        redis_url=redis_url,
        session_factory=model.sessions,
        processed_table=model.processed,
        streams=[stream],
        **settings,
    )


def publish(redis_client: redis.Redis, stream: str, event_type: str = "user.registered") -> str:
    """An event straight onto ``stream`` (as a relay would put it); returns its id."""
    envelope = new_envelope(event_type, {"userId": str(uuid.uuid4())}, "test")
    redis_client.xadd(stream, to_fields(envelope))
    return envelope.id


def pending_count(redis_client: redis.Redis, stream: str, group: str) -> int:
    return int(redis_client.xpending(stream, group)["pending"])
