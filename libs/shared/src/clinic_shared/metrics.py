"""Prometheus metrics a service reads when it is scraped: outbox, streams, database pool.

``create_service_app`` registers these collectors next to the request metrics
(:class:`~clinic_shared.middleware.MetricsMiddleware`) and the counters of the relay and the
consumer (:class:`~clinic_shared.events.health.EventsHealth`). What needs a query is queried
at scrape time, under a short deadline, and never fails the scrape: a source that does not
answer in time (or at all) is reported as ``clinic_metrics_source_up{source=…} 0`` and its
other samples are left out for that scrape, so Prometheus shows a gap, not a stale value.

============================================  ======================================================
``clinic_outbox_pending``                     outbox rows not yet published to Redis
``clinic_outbox_oldest_pending_age_seconds``  age of the oldest of them (0 when none)
``clinic_events_consumer_lag``                entries of a stream the group has not read yet
``clinic_events_consumer_pending``            entries the group read and has not acknowledged
``clinic_events_consumer_lag_seconds``        age of the oldest entry the group has not finished
``clinic_events_dead_stream_length``          entries parked in ``dead.<service>``
``clinic_db_pool_*``                          the SQLAlchemy pools (in ``metrics_pools``)
``clinic_metrics_source_up``                  1 when a source answered this scrape, else 0
============================================  ======================================================
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import redis
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Engine, Table, func, select

from clinic_shared.clock import utcnow
from clinic_shared.deadline import DeadlineRunner

if TYPE_CHECKING:
    from clinic_shared.events.health import EventsHealth

log = logging.getLogger(__name__)

# Short enough that every source timing out still answers a scrape well within Prometheus'
# default 10 s scrape timeout; long enough for a loaded but healthy server.
DEFAULT_QUERY_TIMEOUT = 1.0


class MetricSource(Protocol):
    """Something queried at scrape time: ``read()`` raises when it does not answer."""

    name: str

    def read(self) -> list[Metric] | None:
        """Its metric families, or None when it has nothing to report (yet)."""
        ...


class QueriedMetrics(Collector):
    """The families of some sources read at scrape time, and one ``clinic_metrics_source_up``.

    A source that raises (or times out) is reported down and its families left out; the
    scrape itself never fails.
    """

    def __init__(self, sources: Sequence[MetricSource]) -> None:
        self._sources = list(sources)

    def describe(self) -> list[Metric]:
        """Nothing up front: registering must not query anything."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Each source's families, then whether each answered."""
        up = GaugeMetricFamily(
            "clinic_metrics_source_up",
            "1 when the source answered this scrape in time, else 0 (its samples are missing)",
            labels=["source"],
        )
        for source in self._sources:
            try:
                families = source.read()
            except Exception as exc:
                log.debug("%s metrics not collected: %s", source.name, exc)
                up.add_metric([source.name], 0)
                continue
            if families is None:
                continue
            yield from families
            up.add_metric([source.name], 1)
        if up.samples:
            yield up


# --- the outbox -----------------------------------------------------------------------------


class OutboxSource:
    """The backlog of one outbox table: rows not yet published, and the oldest one's age."""

    name = "outbox"

    def __init__(
        self, engine: Engine, table: Table, *, timeout: float = DEFAULT_QUERY_TIMEOUT
    ) -> None:
        self._engine = engine
        self._table = table
        self._runner: DeadlineRunner[tuple[int, datetime | None]] = DeadlineRunner(
            f"outbox-{table.name}", timeout
        )

    def _query(self) -> tuple[int, datetime | None]:
        t = self._table
        pending = t.c.published_at.is_(None)
        with self._engine.connect() as conn:
            # Both answered from the (published_at, id) index: the backlog, and its first row.
            count = conn.scalar(select(func.count()).select_from(t).where(pending)) or 0
            oldest = conn.scalar(select(t.c.created_at).where(pending).order_by(t.c.id).limit(1))
        return int(count), oldest

    def read(self) -> list[Metric]:
        """``clinic_outbox_pending`` and ``clinic_outbox_oldest_pending_age_seconds``."""
        count, oldest = self._runner.run(self._query)
        age = max(0.0, (utcnow() - _naive_utc(oldest)).total_seconds()) if oldest else 0.0
        return [
            GaugeMetricFamily(
                "clinic_outbox_pending", "Outbox rows not yet published to Redis", value=count
            ),
            GaugeMetricFamily(
                "clinic_outbox_oldest_pending_age_seconds",
                "Seconds since the oldest unpublished outbox row was written (0 when none)",
                value=age,
            ),
        ]


def _naive_utc(moment: datetime) -> datetime:
    # The outbox stores naive UTC; an aware value (another driver) is converted.
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


# --- the streams ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsumerStreams:
    """What the streams collector reads: the group, the streams it reads, its dead stream."""

    group: str
    streams: tuple[str, ...]
    dead_letter_stream: str


def consumer_streams_of(health: EventsHealth) -> Callable[[], ConsumerStreams | None]:
    """The running consumer's group and streams (None before the lifespan started one)."""

    def current() -> ConsumerStreams | None:
        consumer = health.consumer
        if consumer is None:
            return None
        return ConsumerStreams(consumer.service, consumer.streams, consumer.dead_letter_stream)

    return current


class StreamsSource:
    """Per stream a consumer group reads: lag, pending, the oldest unfinished entry's age;
    and the length of its dead stream. Two round trips to Redis at most."""

    name = "redis"

    def __init__(
        self,
        redis_url: str,
        consumer: Callable[[], ConsumerStreams | None],
        *,
        timeout: float = DEFAULT_QUERY_TIMEOUT,
    ) -> None:
        self._redis_url = redis_url
        self._consumer = consumer
        self._timeout = timeout
        self._client: redis.Redis | None = None
        self._client_lock = threading.Lock()

    def close(self) -> None:
        """Close the Redis client (a later scrape opens another)."""
        with self._client_lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _redis(self) -> redis.Redis:
        with self._client_lock:
            if self._client is None:
                self._client = redis.Redis.from_url(
                    self._redis_url,
                    socket_timeout=self._timeout,
                    socket_connect_timeout=self._timeout,
                    # No retries: a scrape reports a Redis that does not answer, it never waits.
                    retry=Retry(NoBackoff(), 0),
                    decode_responses=True,
                )
            return self._client

    def read(self) -> list[Metric] | None:
        """The stream gauges; None while the service runs no consumer."""
        watched = self._consumer()
        return None if watched is None else self._read(watched)

    def _read(self, watched: ConsumerStreams) -> list[Metric]:
        client = self._redis()
        pipe = client.pipeline(transaction=False)
        for stream in watched.streams:
            pipe.xinfo_groups(stream)
        pipe.xlen(watched.dead_letter_stream)
        *groups_per_stream, dead_length = pipe.execute(raise_on_error=False)
        if isinstance(dead_length, redis.ConnectionError | redis.TimeoutError):
            raise dead_length
        now_ms = time.time() * 1000
        lag = GaugeMetricFamily(
            "clinic_events_consumer_lag",
            "Entries of the stream the consumer group has not read yet",
            labels=["stream", "group"],
        )
        pending = GaugeMetricFamily(
            "clinic_events_consumer_pending",
            "Entries the consumer group read and has not acknowledged (in work or failing)",
            labels=["stream", "group"],
        )
        age = GaugeMetricFamily(
            "clinic_events_consumer_lag_seconds",
            "Age of the oldest entry the consumer group has not finished (0 when none)",
            labels=["stream", "group"],
        )
        # Second round trip: the oldest unfinished entry of each group, pending or unread.
        found: list[tuple[str, dict[str, Any]]] = []
        follow_up = client.pipeline(transaction=False)
        for stream, groups in zip(watched.streams, groups_per_stream, strict=True):
            if isinstance(groups, Exception):
                # No such stream yet (nothing published): nothing to report for it.
                if isinstance(groups, redis.ConnectionError | redis.TimeoutError):
                    raise groups
                continue
            group = next((g for g in groups if g.get("name") == watched.group), None)
            if group is None:
                continue
            found.append((stream, group))
            if int(group.get("pending") or 0):
                follow_up.xpending(stream, watched.group)
            else:
                follow_up.xrange(stream, min=f"({group['last-delivered-id']}", max="+", count=1)
        oldest = follow_up.execute(raise_on_error=False) if found else []
        for (stream, group), first in zip(found, oldest, strict=True):
            labels = [stream, watched.group]
            if group.get("lag") is not None:  # None when Redis cannot tell (entries deleted)
                lag.add_metric(labels, int(group["lag"]))
            pending.add_metric(labels, int(group.get("pending") or 0))
            if isinstance(first, redis.ConnectionError | redis.TimeoutError):
                raise first
            entry_id = _oldest_id(first)
            age.add_metric(labels, _age_seconds(entry_id, now_ms) if entry_id else 0.0)
        dead = GaugeMetricFamily(
            "clinic_events_dead_stream_length",
            "Events parked in the dead stream after failing on their content",
            labels=["stream"],
        )
        dead.add_metric(
            [watched.dead_letter_stream], 0 if isinstance(dead_length, Exception) else dead_length
        )
        return [lag, pending, age, dead]


def _oldest_id(answer: Any) -> str | None:
    if isinstance(answer, dict):  # XPENDING summary
        return str(answer["min"]) if answer.get("min") else None
    if isinstance(answer, list) and answer:  # XRANGE: [(id, fields)]
        return str(answer[0][0])
    return None


def _age_seconds(entry_id: str, now_ms: float) -> float:
    millis = int(entry_id.partition("-")[0] or 0)
    return max(0.0, (now_ms - millis) / 1000)
