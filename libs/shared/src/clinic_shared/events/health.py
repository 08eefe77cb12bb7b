"""What a running service's event machinery reports: its readiness check and its metrics.

``create_service_app`` builds one :class:`EventsHealth` per app; the lifespan fills in the
relay and the consumer it starts. Readiness fails only when the service has a consumer and
that consumer is not healthy (never started, stopped, its supervisor dead, or a subscriber
that cannot be restarted for another reason than a Redis outage): a Redis outage alone
keeps the service ready, since writes still go to the outbox and events only wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer
    from clinic_shared.events.relay import OutboxRelay


class ConsumerNotRunningError(RuntimeError):
    """The service's event consumer is not consuming and will not resume on its own."""


class EventsHealth(Collector):
    """The relay and consumer of one app, as a readiness check and a Prometheus collector."""

    def __init__(self) -> None:
        self.relay: OutboxRelay | None = None
        self.consumer: EventConsumer | None = None
        self.expects_consumer = False

    def check(self) -> None:
        """Readiness: raise unless the consumer (if the service has one) is healthy."""
        if not self.expects_consumer:
            return
        consumer = self.consumer
        if consumer is None:
            raise ConsumerNotRunningError("the event consumer has not started")
        if not consumer.healthy:
            raise ConsumerNotRunningError(f"the event consumer is not running: {consumer.health()}")

    def collect(self) -> Iterator[Metric]:
        """``clinic_events_*`` metrics of the relay and the consumer."""
        relay, consumer = self.relay, self.consumer
        if relay is not None:
            yield _gauge(
                "clinic_outbox_relay_running", "1 while the outbox relay runs", relay.running
            )
            yield _counter(
                "clinic_events_stream_regressions",
                "Streams found to have lost entries the relay published (Redis lost data)",
                relay.stream_regressions,
            )
            yield _counter(
                "clinic_outbox_republished",
                "Outbox rows marked pending again after a stream lost them",
                relay.republished,
            )
        if consumer is None:
            return
        yield _gauge(
            "clinic_events_consumer_running", "1 while every subscriber reads", consumer.running
        )
        yield _gauge(
            "clinic_events_consumer_healthy",
            "1 while the consumer reads or only waits for Redis",
            consumer.healthy,
        )
        yield _counter(
            "clinic_events_consumer_restarts",
            "Times the consumer recreated its groups and resumed",
            consumer.restarts,
        )
        yield _counter(
            "clinic_events_dead_lettered", "Events moved to dead.<service>", consumer.dead_lettered
        )
        yield _counter(
            "clinic_events_infrastructure_retries",
            "Event applications retried because the database or Redis was unavailable",
            consumer.infrastructure_retries,
        )
        unknown = CounterMetricFamily(
            "clinic_events_unknown",
            "Events acknowledged without a handler for their type",
            labels=["stream", "type"],
        )
        for (stream, event_type), count in sorted(consumer.unknown_events.items()):
            unknown.add_metric([stream, event_type], count)
        yield unknown


def _gauge(name: str, documentation: str, value: bool | int) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=int(value))


def _counter(name: str, documentation: str, value: int) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)
