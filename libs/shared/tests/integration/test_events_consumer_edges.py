"""The consumer's edges: its settings, its supervisor while all is well, stopping, the group's
members, a stream that went backwards, and what it logs (real MariaDB and Redis).

Each test was written against mutants of ``events/consumer.py`` that the other consumer tests
let through (docs/testing.md, "events-consumer").
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid

import pytest
import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clinic_shared.events import EventConsumer, EventEnvelope, new_envelope, to_fields
from clinic_shared.events.consumer import _describe

from .conftest import (
    ReadModel,
    closed_redis_url,
    eventually,
    make_consumer,
    pending_count,
    publish,
)

pytestmark = pytest.mark.integration

LOGGER = "clinic_shared.events.consumer"


@pytest.mark.parametrize(
    "settings",
    [
        {"first_retry_delay": 0},
        {"first_retry_delay": -0.5},
        {"first_retry_delay": 2.0, "max_retry_delay": 1.0},
        {"watch_interval": 0},
        {"watch_interval": -1.0},
        {"max_deliveries": 0},
        {"reclaim_idle_ms": 0},
    ],
)
def test_settings_out_of_range_are_refused(
    model: ReadModel, service: str, stream: str, redis_url: str, settings: dict[str, float]
) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        make_consumer(model, service, stream, redis_url, **settings)


def test_a_consumer_names_the_streams_it_reads(
    model: ReadModel, service: str, stream: str, redis_url: str
) -> None:
    assert make_consumer(model, service, stream, redis_url).streams == (stream,)


def test_the_smallest_settings_are_allowed(
    model: ReadModel, service: str, stream: str, redis_url: str
) -> None:
    consumer = make_consumer(
        model,
        service,
        stream,
        redis_url,
        first_retry_delay=1.0,
        max_retry_delay=1.0,  # equal delays: no growth
        max_deliveries=1,
        reclaim_idle_ms=1,
    )
    assert consumer.healthy is False  # made, not started


def test_an_error_is_described_in_at_most_2000_characters() -> None:
    described = _describe(RuntimeError("x" * 3000))

    assert described == "RuntimeError: " + "x" * (2000 - len("RuntimeError: "))


async def test_while_all_is_well_the_supervisor_watches_and_restarts_nothing(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=0.05)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    await consumer.start()

    await asyncio.sleep(0.4)  # several watch intervals

    assert consumer.healthy  # the supervisor is still there
    assert consumer.restarts == 0  # and did not reconnect a consumer that was reading
    event_id = publish(redis_client, stream)
    await eventually(lambda: model.applied_ids() == [event_id])


async def test_a_stopped_consumer_reads_nothing_more(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", model.record)
    await consumer.start()
    first = publish(redis_client, stream)
    await eventually(lambda: model.applied_ids() == [first])

    await consumer.stop()
    publish(redis_client, stream)
    await asyncio.sleep(0.5)  # five of its polls

    assert model.applied_ids() == [first]
    assert consumer.health()["waitingForRedis"] is False
    group = next(g for g in redis_client.xinfo_groups(stream) if g["name"] == service)
    assert group["pending"] == 0  # not even read: left for the next start
    assert group["lag"] == 1


async def test_stopping_after_the_stream_is_gone_does_not_fail(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=60.0)
    await consumer.start()
    redis_client.delete(stream)  # the group goes with it: dropping our name cannot work

    await consumer.stop()

    assert not consumer.healthy


async def test_a_restart_after_redis_lost_the_stream_is_no_longer_waiting_for_redis(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=0.1)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    await consumer.start()
    redis_client.delete(stream)

    await eventually(lambda: consumer.restarts == 1)

    assert consumer.health()["waitingForRedis"] is False
    assert consumer.running


@pytest.mark.parametrize(
    ("now_last", "backwards"),
    # Before, in the same millisecond before, the very entry, and after the last one handled.
    [("1-1", True), ("6-1", True), ("6-2", False), ("9-1", False)],
)
async def test_a_lost_stream_is_reported_with_the_last_entry_handled_and_whether_it_went_back(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
    now_last: str,
    backwards: bool,
) -> None:
    for entry_id in ("5-1", "6-2"):
        envelope = new_envelope("user.registered", {"userId": str(uuid.uuid4())}, "test")
        redis_client.xadd(stream, to_fields(envelope), id=entry_id)
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=0.1)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    await consumer.start()
    await eventually(lambda: len(model.applied_ids()) == 2)

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        redis_client.delete(stream)
        # Redis back without its data, and a producer writing again before the group returns.
        redis_client.xadd(stream, {"probe": "1"}, id=now_last)
        await eventually(lambda: consumer.stream_regressions == 1)

    (report,) = [r.getMessage() for r in caplog.records if "lost its data (" in r.getMessage()]
    assert f"last id now {now_last}, last handled 6-2" in report
    assert (
        report.endswith(
            "last handled 6-2: it went backwards); events published in between are re-published "
            "from the producer's outbox"
        )
        is backwards
    )


async def test_a_duplicate_is_logged_as_skipped_and_a_first_delivery_is_not(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    envelope = new_envelope("user.updated", {"userId": "u"}, "test")
    redis_client.xadd(stream, to_fields(envelope))
    redis_client.xadd(stream, to_fields(envelope))
    publish(redis_client, stream, "user.updated")  # another event, delivered once
    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.updated", model.record)
    consumers.append(consumer)

    with caplog.at_level(logging.INFO, logger=LOGGER):
        await consumer.start()
        await eventually(lambda: model.processed_count() == 2)
        await eventually(lambda: pending_count(redis_client, stream, service) == 0)

    skipped = [r for r in caplog.records if "already processed" in r.getMessage()]
    assert [r.getMessage() for r in skipped] == [
        f"{service}: event {envelope.id} already processed, skipped"
    ]


async def test_each_retry_through_an_outage_says_its_attempt_and_waits_its_delay(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[float] = []
    loop = asyncio.get_running_loop()

    def database_down_twice(session: Session, envelope: EventEnvelope) -> None:
        attempts.append(loop.time())
        if len(attempts) <= 2:
            raise OperationalError("SELECT 1", {}, ConnectionError("2003: server gone"))
        model.record(session, envelope)

    event_id = publish(redis_client, stream)
    consumer = make_consumer(
        model, service, stream, redis_url, first_retry_delay=0.6, max_retry_delay=5.0
    )
    consumer.add_handler("user.registered", database_down_twice)
    consumers.append(consumer)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        await consumer.start()
        await eventually(lambda: model.applied_ids() == [event_id], timeout=10.0)

    retries = [
        r.getMessage() for r in caplog.records if "a dependency is unavailable" in r.getMessage()
    ]
    assert [
        "(attempt 1; retrying in 0.6s" in retries[0],
        "(attempt 2; retrying in 1.2s" in retries[1],
    ] == [True, True]
    first_wait, second_wait = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert first_wait >= 0.55  # the delay is waited, not skipped...
    assert second_wait >= 1.1  # ...and doubled


async def test_on_start_only_dead_members_leave_the_group_whatever_their_names(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
) -> None:
    redis_client.xgroup_create(stream, service, id="$", mkstream=True)
    # Names sorting before and after this consumer's own ("m-replica").
    for gone in ("a-gone", "z-gone"):
        redis_client.xgroup_createconsumer(stream, service, gone)  # holding nothing
    await asyncio.sleep(0.4)
    redis_client.xgroup_createconsumer(stream, service, "b-live")  # a replica just started
    publish(redis_client, stream)
    redis_client.xreadgroup(service, "c-holding", {stream: ">"})  # holds an entry: stays
    assert len(redis_client.xinfo_consumers(stream, service)) == 4
    consumer = make_consumer(
        model,
        service,
        stream,
        redis_url,
        consumer_name="m-replica",
        forget_idle_ms=300,
        reclaim_idle_ms=60_000,
    )
    consumers.append(consumer)

    await consumer.start()

    names = {c["name"] for c in redis_client.xinfo_consumers(stream, service)}
    assert "a-gone" not in names
    assert "z-gone" not in names
    assert "b-live" in names
    assert "c-holding" in names


async def test_without_redis_the_supervisor_tries_again_ever_more_slowly(
    model: ReadModel,
    service: str,
    stream: str,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    consumer = make_consumer(
        model,
        service,
        stream,
        closed_redis_url(),
        watch_interval=0.05,
        first_retry_delay=0.1,
        max_retry_delay=10.0,
    )
    consumers.append(consumer)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        await consumer.start()
        await asyncio.sleep(1.3)
        assert consumer.healthy  # waiting for Redis, with a live supervisor

    assert not [r for r in caplog.records if "a subscriber stopped" in r.getMessage()]
    tries = [r for r in caplog.records if "Redis unreachable:" in r.getMessage()]
    # Each after one watch and the delay, doubling: ~0.05, 0.2, 0.45, 0.9 s (then 1.75 s).
    # A delay that stayed the same would try ~8 times; one tripled, 3; one grown by 2 s, 2.
    assert 4 <= len(tries) <= 5


async def test_a_group_that_cannot_be_made_again_for_another_reason_leaves_it_unhealthy(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=0.5)
    consumers.append(consumer)
    await consumer.start()

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        redis_client.delete(stream)
        await eventually(lambda: not consumer.running)
        redis_client.set(stream, "not a stream")  # XGROUP CREATE: WRONGTYPE, whatever the wait
        await eventually(lambda: any("could not restart" in r.getMessage() for r in caplog.records))

    assert consumer.health()["waitingForRedis"] is False  # Redis answers: something else is wrong
    assert not consumer.healthy
    redis_client.delete(stream)


async def test_stopping_keeps_a_consumer_that_holds_entries_in_the_group(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    def refuses(session: Session, envelope: EventEnvelope) -> None:
        raise ValueError("a handler bug")  # not the infrastructure: left pending for a retry

    consumer = make_consumer(
        model, service, stream, redis_url, consumer_name="holding", max_deliveries=50
    )
    consumer.add_handler("user.registered", refuses)
    await consumer.start()
    publish(redis_client, stream)
    await eventually(lambda: pending_count(redis_client, stream, service) == 1)

    await consumer.stop()

    members = {c["name"]: c["pending"] for c in redis_client.xinfo_consumers(stream, service)}
    assert members.get("holding") == 1  # deleting it would have dropped its entry


async def test_stopping_lets_the_event_in_hand_finish_and_acknowledges_it(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    in_hand = threading.Event()

    def slow(session: Session, envelope: EventEnvelope) -> None:
        in_hand.set()
        time.sleep(0.8)  # still applying when stop() is called
        model.record(session, envelope)

    consumer = make_consumer(model, service, stream, redis_url)
    consumer.add_handler("user.registered", slow)
    await consumer.start()
    event_id = publish(redis_client, stream)
    await eventually(in_hand.is_set)

    await asyncio.wait_for(consumer.stop(), 5)

    # Applied once and acknowledged before the broker closed: nothing is left for a reclaimer
    # to apply again, and the stop did not wait for the broker's 10 s graceful limit.
    assert model.applied_ids() == [event_id]
    assert pending_count(redis_client, stream, service) == 0


def test_handles_registers_the_function_for_each_type_it_names(
    model: ReadModel, service: str, stream: str, redis_url: str
) -> None:
    consumer = make_consumer(model, service, stream, redis_url)
    seen: list[str] = []

    @consumer.handles("user.registered", "user.updated")
    def remember(session: Session, envelope: EventEnvelope) -> None:
        seen.append(envelope.type)

    for event_type in ("user.registered", "user.updated", "user.merged"):
        consumer.dispatch(None, new_envelope(event_type, {}, "test"))  # type: ignore[arg-type]
    assert seen == ["user.registered", "user.updated"]
    with pytest.raises(ValueError, match="already has a handler"):
        consumer.add_handler("user.updated", remember)


async def test_stopping_during_an_outage_ends_the_retries(
    model: ReadModel, service: str, stream: str, redis_url: str, redis_client: redis.Redis
) -> None:
    attempts: list[str] = []

    def database_down(session: Session, envelope: EventEnvelope) -> None:
        attempts.append(envelope.id)
        raise OperationalError("SELECT 1", {}, ConnectionError("2003: server gone"))

    consumer = make_consumer(model, service, stream, redis_url, first_retry_delay=0.1)
    consumer.add_handler("user.registered", database_down)
    await consumer.start()
    publish(redis_client, stream)
    await eventually(lambda: len(attempts) >= 2)

    await asyncio.wait_for(consumer.stop(), 5)  # not the broker's 10 s graceful wait
    tried = len(attempts)
    await asyncio.sleep(0.5)

    assert len(attempts) == tried
    assert pending_count(redis_client, stream, service) == 1  # left for whoever reads next


async def test_an_older_entry_handled_late_does_not_move_the_last_entry_handled_back(
    model: ReadModel,
    service: str,
    stream: str,
    redis_url: str,
    redis_client: redis.Redis,
    consumers: list[EventConsumer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis_client.xgroup_create(stream, service, id="0", mkstream=True)
    for entry_id in ("5-1", "6-2"):
        envelope = new_envelope("user.registered", {"userId": str(uuid.uuid4())}, "test")
        redis_client.xadd(stream, to_fields(envelope), id=entry_id)
        if entry_id == "5-1":  # a replica killed holding it: reclaimed after 300 ms, so late
            redis_client.xreadgroup(service, "killed", {stream: ">"}, count=1)
    consumer = make_consumer(model, service, stream, redis_url, watch_interval=0.1)
    consumer.add_handler("user.registered", model.record)
    consumers.append(consumer)
    await consumer.start()
    await eventually(lambda: len(model.applied_ids()) == 2)

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        redis_client.delete(stream)
        redis_client.xadd(stream, {"probe": "1"}, id="6-1")
        await eventually(lambda: consumer.stream_regressions == 1)

    (report,) = [r.getMessage() for r in caplog.records if "lost its data (" in r.getMessage()]
    assert "last id now 6-1, last handled 6-2: it went backwards" in report
