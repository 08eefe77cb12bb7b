"""Event machinery: envelope, transactional outbox + relay, idempotent stream consumers.

Wiring in a service (tables go into the service's metadata and Alembic migration)::

    outbox = outbox_table(metadata)
    processed = processed_events_table(metadata)

    # bootstrap.py, once per process:
    events = OutboxWriter(outbox, settings.events_stream, contracts.patients.PRODUCER)

    # use case, one transaction: the change and its event commit together
    with session.begin():
        ...  # the domain change
        events.add(session, PatientRegistered(...))  # a contract instance

    # consumer: handlers keyed from the contract registry, never by literal names
    EventConsumer(..., handlers=dict.fromkeys(contracts.scheduling.CONTRACTS, on_appointment))

``create_service_app(services=..., consumer=...)`` runs the relay and the consumer for the
app's life (:func:`~clinic_shared.events.lifespan.service_lifespan`); readiness and metrics
come from :class:`~clinic_shared.events.health.EventsHealth`.

Hardening (issue 11): payload contracts carry ``entityVersion`` and read models ignore older
events; infrastructure failures are retried without limit (:mod:`.failures`), only content
failures are dead-lettered, and :func:`replay_dead` re-applies them; the consumer recreates
a vanished group and resumes; the relay re-publishes what a stream that lost its data never
delivered (:func:`~clinic_shared.events.relay.republish`). Operator commands: :mod:`.commands`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinic_shared.events.envelope import (
    ENVELOPE_FIELD,
    EventEnvelope,
    from_fields,
    new_envelope,
    to_fields,
)
from clinic_shared.events.failures import is_infrastructure_error
from clinic_shared.events.outbox import (
    OutboxWriter,
    add_event,
    outbox_table,
    processed_events_table,
)
from clinic_shared.events.processing import EventHandler, apply_once
from clinic_shared.events.relay import OutboxRelay, RelayPublishError
from clinic_shared.events.replay import DeadReplay, replay, replay_dead

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer


def __getattr__(name: str) -> Any:
    # FastStream takes about a second to import; producers (and whoever only needs the
    # envelope or the contracts) should not pay for it, so the consumer loads on first use.
    if name == "EventConsumer":
        from clinic_shared.events.consumer import EventConsumer

        return EventConsumer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ENVELOPE_FIELD",
    "DeadReplay",
    "EventConsumer",
    "EventEnvelope",
    "EventHandler",
    "OutboxRelay",
    "OutboxWriter",
    "RelayPublishError",
    "add_event",
    "apply_once",
    "from_fields",
    "is_infrastructure_error",
    "new_envelope",
    "outbox_table",
    "processed_events_table",
    "replay",
    "replay_dead",
    "to_fields",
]
