"""The relay's edges: its settings, batches, wake-ups, lost streams and republish's bounds.

Against the real Redis; the outbox on SQLite (the relay reads and writes it the same way) except
where MariaDB's row locks are the point.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest
import redis
from sqlalchemy import Engine, MetaData, Table, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.clock import utcnow
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import OutboxRelay, RelayPublishError, outbox_table
from clinic_shared.events.relay import _describe, republish

from .conftest import closed_redis_url, commit_events, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'outbox.sqlite'}")
    yield engine
    engine.dispose()


class CountingRelay(OutboxRelay):
    """A relay that counts its rounds: batches asked for and stream checks made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = 0
        self.checks = 0

    def publish_pending(self) -> int:
        self.rounds += 1
        return super().publish_pending()

    def check_streams(self) -> list[str]:
        self.checks += 1
        return super().check_streams()


def pending(engine: Engine, outbox: Table) -> int:
    with engine.connect() as conn:
        query = select(func.count()).where(outbox.c.published_at.is_(None))
        return int(conn.scalar(query) or 0)


@pytest.mark.parametrize(("poll", "batch"), [(0, 10), (-1, 10), (1, 0), (1, -1)])
def test_the_poll_and_the_batch_must_be_positive(
    engine: Engine, outbox: Table, redis_url: str, poll: float, batch: int
) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        OutboxRelay(engine, outbox, redis_url, poll_interval=poll, batch_size=batch)


def test_a_batch_is_a_hundred_rows_by_default_and_one_is_allowed(
    engine: Engine, outbox: Table, sessions: sessionmaker[Session], stream: str, redis_url: str
) -> None:
    commit_events(sessions, outbox, stream, count=101)
    relay = OutboxRelay(engine, outbox, redis_url)
    single = OutboxRelay(engine, outbox, redis_url, poll_interval=0.5, batch_size=1)
    try:
        assert relay.publish_pending() == 100
        assert single.publish_pending() == 1
        assert relay.publish_pending() == 0
    finally:
        relay.stop()
        single.stop()


def test_a_backlog_is_published_in_one_wake_up_then_the_thread_idles(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    relays: list[OutboxRelay],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Batches above 256 rows: `published == batch_size` must compare values, not objects.
    relay = CountingRelay(engine, outbox, redis_url, poll_interval=60.0, batch_size=300)
    relay.start()
    time.sleep(0.2)  # the start-up pass over an empty outbox
    commit_events(sessions, outbox, stream, count=601)  # one wake-up: 300 + 300 + 1

    wait_until(lambda: redis_client.xlen(stream) == 601)
    commit_events(sessions, outbox, stream)
    wait_until(lambda: redis_client.xlen(stream) == 602)
    rounds = relay.rounds
    time.sleep(0.3)

    assert relay.rounds == rounds <= 5  # start, 3 batches, the second commit: no busy loop
    assert relay.checks == 1  # the streams are checked once per poll, not on every wake-up
    with caplog.at_level(logging.WARNING, logger="clinic_shared.events.relay"):
        relay.stop()
    assert not relay.running
    assert caplog.records == []  # stopped in time: nothing to warn about


def test_the_thread_finds_a_lost_stream_and_publishes_it_again(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    unique_name: Callable[[str], str],
    redis_url: str,
    redis_client: redis.Redis,
    relays: list[OutboxRelay],
) -> None:
    kept, lost = unique_name("events.kept"), unique_name("events.lost")
    relay = OutboxRelay(engine, outbox, redis_url, poll_interval=0.1)
    relays.append(relay)
    relay.start()
    commit_events(sessions, outbox, kept)
    sent = commit_events(sessions, outbox, lost, count=2)
    wait_until(lambda: redis_client.xlen(lost) == 2)
    time.sleep(0.3)  # checked whole at least once

    redis_client.delete(lost)  # the second stream checked: not only the first one is
    wait_until(lambda: redis_client.xlen(lost) == 2)

    entries = cast("list[tuple[str, dict[str, str]]]", redis_client.xrange(lost))
    assert [fields["envelope"] for _, fields in entries] == [
        fields["envelope"] for fields in _payloads(engine, outbox, sent)
    ]
    assert (relay.stream_regressions, relay.republished) == (1, 2)
    assert redis_client.xlen(kept) == 1


def _payloads(engine: Engine, outbox: Table, event_ids: list[str]) -> list[dict[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.payload).where(outbox.c.event_id.in_(event_ids)).order_by(outbox.c.id)
        )
        return [{"envelope": row.payload} for row in rows]


def test_a_loss_with_nothing_left_to_republish_is_reported_once(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    relay = OutboxRelay(engine, outbox, redis_url, republish_window=0)
    try:
        commit_events(sessions, outbox, stream)
        relay.publish_pending()
        [(entry_id, _)] = cast("list[tuple[str, Any]]", redis_client.xrange(stream))
        time.sleep(0.01)
        assert relay.check_streams() == []  # whole, after the row was published
        redis_client.delete(stream)

        with caplog.at_level(logging.ERROR, logger="clinic_shared.events.relay"):
            assert relay.check_streams() == [stream]
        assert relay.check_streams() == []  # forgotten: not reported (and republished) again

        assert (relay.stream_regressions, relay.republished) == (1, 0)
        assert f"entry {entry_id}, published by this relay, is gone" in caplog.text
    finally:
        relay.stop()


def test_a_check_while_redis_is_down_is_left_to_the_next(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    relay = OutboxRelay(engine, outbox, redis_url)
    commit_events(sessions, outbox, stream)
    relay.publish_pending()
    down = redis.Redis.from_url(closed_redis_url(), socket_connect_timeout=0.5)
    monkeypatch.setattr(relay, "_redis", down)

    assert relay.check_streams() == []
    assert relay.stream_regressions == 0
    relay.stop()


def test_a_failed_batch_says_how_many_and_why(
    engine: Engine, outbox: Table, sessions: sessionmaker[Session], stream: str
) -> None:
    commit_events(sessions, outbox, stream)
    relay = OutboxRelay(engine, outbox, closed_redis_url(), redis_timeout=0.5)
    try:
        with pytest.raises(RelayPublishError, match=r"^1 event\(s\) not published: Connection"):
            relay.publish_pending()
    finally:
        relay.stop()


def test_an_error_is_recorded_cut_to_2000_characters() -> None:
    described = _describe(RuntimeError("x" * 3000))

    assert described == "RuntimeError: " + "x" * (2000 - len("RuntimeError: "))


def test_the_thread_outlives_a_database_error(
    engine: Engine,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    relays: list[OutboxRelay],
) -> None:
    metadata = MetaData()
    outbox = outbox_table(metadata)  # not created yet: every round fails
    relay = OutboxRelay(engine, outbox, redis_url, poll_interval=0.05)
    relays.append(relay)
    relay.start()
    time.sleep(0.2)

    metadata.create_all(engine)
    commit_events(sessions, outbox, stream)
    wait_until(lambda: redis_client.xlen(stream) == 1)


def test_republish_bounds(
    engine: Engine, outbox: Table, sessions: sessionmaker[Session], redis_url: str
) -> None:
    # A stream name that sorts after the others: `stream == x` must not become `<= x`.
    commit_events(sessions, outbox, "events.a")
    commit_events(sessions, outbox, "events.b")
    relay = OutboxRelay(engine, outbox, redis_url)
    try:
        relay.publish_pending()
    finally:
        relay.stop()
    with engine.begin() as conn:
        conn.execute(update(outbox).values(attempts=3, last_error="earlier failure"))
        first = conn.scalar(select(outbox.c.published_at).order_by(outbox.c.id).limit(1))
    assert first is not None
    # The same instant, two hours east of UTC: converted, and a row published at it counts.
    since = first.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))

    assert republish(engine, outbox, since=since, stream="events.z") == 0
    assert republish(engine, outbox, since=since, stream="events.a") == 1
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.stream, outbox.c.published_at, outbox.c.attempts, outbox.c.last_error)
        ).all()
    assert [(r.stream, r.published_at is None, r.attempts, r.last_error) for r in rows] == [
        ("events.a", True, 0, None),  # pending again, its failures forgotten
        ("events.b", False, 3, "earlier failure"),
    ]


def test_a_row_another_relay_claimed_is_skipped_not_waited_for(
    database_url_factory: Callable[[str], str], stream: str, redis_url: str
) -> None:
    engine = create_engine_for(database_url_factory("events"))
    metadata = MetaData()
    outbox = outbox_table(metadata)
    metadata.create_all(engine)
    commit_events(make_session_factory(engine), outbox, stream)
    relay = OutboxRelay(engine, outbox, redis_url)
    published: list[int] = []
    try:
        with engine.begin() as other:  # another relay, in the middle of its batch
            other.execute(select(outbox.c.id).with_for_update())
            thread = threading.Thread(target=lambda: published.append(relay.publish_pending()))
            thread.start()
            thread.join(3.0)
            waited = thread.is_alive()
        thread.join(10.0)
    finally:
        relay.stop()
        engine.dispose()

    assert not waited
    assert published == [0]


def test_a_stream_redis_refuses_holds_back_only_its_own_rows(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    unique_name: Callable[[str], str],
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    good, bad = unique_name("events.good"), unique_name("events.bad")
    redis_client.set(bad, "not a stream")  # XADD to it fails with WRONGTYPE
    commit_events(sessions, outbox, bad)
    commit_events(sessions, outbox, good, count=2)
    relay = OutboxRelay(engine, outbox, redis_url)
    try:
        with pytest.raises(RelayPublishError, match=r"^1 event\(s\) not published: .*WRONGTYPE"):
            relay.publish_pending()
    finally:
        relay.stop()

    assert redis_client.xlen(good) == 2
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.stream, outbox.c.published_at.is_(None), outbox.c.attempts)
        ).all()
    assert [tuple(row) for row in rows] == [(bad, True, 1), (good, False, 0), (good, False, 0)]


def test_a_lost_stream_is_published_again_from_ten_minutes_before_it_was_last_whole(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    inside, outside = commit_events(sessions, outbox, stream, count=2)
    relay = OutboxRelay(engine, outbox, redis_url)  # the default window: 600 s
    try:
        relay.publish_pending()
        before = utcnow()
        assert relay.check_streams() == []  # found whole at some instant in [before, after]
        after = utcnow()
        assert after - before < timedelta(seconds=0.1)
        published = {
            inside: before - timedelta(seconds=599.9),
            outside: after - timedelta(seconds=600.1),
        }
        with engine.begin() as conn:
            for event_id, at in published.items():
                conn.execute(
                    update(outbox).where(outbox.c.event_id == event_id).values(published_at=at)
                )
        redis_client.delete(stream)

        assert relay.check_streams() == [stream]
        assert relay.republished == 1
        with engine.connect() as conn:
            again = conn.scalars(select(outbox.c.event_id).where(outbox.c.published_at.is_(None)))
            assert list(again) == [inside]
    finally:
        relay.stop()


def test_a_relay_left_running_does_not_keep_its_process_alive(
    tmp_path: Path, redis_url: str
) -> None:
    program = f"""
from sqlalchemy import MetaData
from clinic_shared.db import create_engine_for
from clinic_shared.events import OutboxRelay, outbox_table
engine = create_engine_for("sqlite:///{tmp_path / "outbox.sqlite"}")
metadata = MetaData()
table = outbox_table(metadata)
metadata.create_all(engine)
OutboxRelay(engine, table, "{redis_url}", poll_interval=60.0).start()
"""
    # Not stopped (a crash, a forgotten stop()): the interpreter still exits.
    subprocess.run([sys.executable, "-c", program], timeout=15, check=True)


def test_a_batch_failing_two_ways_is_reported_by_its_first_error(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    unique_name: Callable[[str], str],
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    not_a_stream, exhausted = unique_name("events.string"), unique_name("events.exhausted")
    redis_client.set(not_a_stream, "not a stream")  # XADD: WRONGTYPE
    redis_client.xadd(exhausted, {"k": "v"})
    redis_client.execute_command("XSETID", exhausted, "18446744073709551615-18446744073709551615")
    commit_events(sessions, outbox, not_a_stream)  # XADD * there: "ERR ... exhausted ..."
    commit_events(sessions, outbox, exhausted)
    relay = OutboxRelay(engine, outbox, redis_url)
    try:
        with pytest.raises(RelayPublishError) as raised:
            relay.publish_pending()
    finally:
        relay.stop()

    assert str(raised.value).startswith("2 event(s) not published: ")
    assert "WRONGTYPE" in str(raised.value)  # the first row's error, in id order
    assert "exhausted" not in str(raised.value)
    with engine.connect() as conn:
        errors = list(conn.scalars(select(outbox.c.last_error).order_by(outbox.c.id)))
    assert "WRONGTYPE" in errors[0]  # each row keeps its own
    assert "exhausted" in errors[1]


def test_a_relay_stopped_in_a_backlog_finishes_only_the_batch_in_flight(
    engine: Engine,
    outbox: Table,
    sessions: sessionmaker[Session],
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
) -> None:
    in_flight, release = threading.Event(), threading.Event()

    class HeldAfterItsFirstBatch(OutboxRelay):
        def publish_pending(self) -> int:
            published = super().publish_pending()
            if not in_flight.is_set():
                in_flight.set()
                release.wait(5)
            return published

    commit_events(sessions, outbox, stream, count=30)  # three batches of 10
    relay = HeldAfterItsFirstBatch(engine, outbox, redis_url, poll_interval=60.0, batch_size=10)
    relay.start()
    assert in_flight.wait(5)
    stopping = threading.Thread(target=relay.stop)
    stopping.start()
    time.sleep(0.3)  # stop() has asked the thread to stop and waits on it
    release.set()
    stopping.join(10)

    assert not relay.running
    assert redis_client.xlen(stream) == 10  # the rest waits for the next start, not for stop()
    assert pending(engine, outbox) == 20


def test_a_redis_that_never_answers_fails_the_batch_after_five_seconds(
    engine: Engine, outbox: Table, sessions: sessionmaker[Session], stream: str
) -> None:
    # It accepts the connection (the kernel's backlog) and never replies: without a timeout
    # the relay's thread would wait on it forever, with every later event behind it.
    with socket.socket() as stalled:
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(8)
        commit_events(sessions, outbox, stream)
        relay = OutboxRelay(engine, outbox, f"redis://127.0.0.1:{stalled.getsockname()[1]}/0")
        started = time.monotonic()
        try:
            with pytest.raises(RelayPublishError, match="Timeout"):
                relay.publish_pending()
        finally:
            elapsed = time.monotonic() - started
            relay.stop()

    assert 4.5 < elapsed < 5.9  # the default Redis timeout: 5 s, once (a pipeline is not retried)
    assert pending(engine, outbox) == 1
