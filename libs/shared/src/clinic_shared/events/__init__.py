"""Event machinery: envelope, transactional outbox + relay, idempotent stream consumers.

Wiring in a service (tables go into the service's metadata and Alembic migration)::

    outbox = outbox_table(metadata)
    processed = processed_events_table(metadata)

    # use case, one transaction:
    with sessions.begin() as session:
        ...  # the domain change
        add_event(session, outbox, stream="events.scheduling", type="appointment.booked",
                  data=payload.to_data(), producer="scheduling")

    # lifespan:
    relay = OutboxRelay(engine, outbox, settings.redis_url)
    consumer = EventConsumer(service="scheduling", redis_url=settings.redis_url,
                             session_factory=sessions, processed_table=processed,
                             streams=["events.identity", "events.patients"])
    consumer.add_handler("user.registered", upsert_practitioner)
    async with running_events(relay, consumer):  # clinic_shared.events.lifespan
        yield
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
from clinic_shared.events.outbox import add_event, outbox_table, processed_events_table
from clinic_shared.events.processing import EventHandler, apply_once
from clinic_shared.events.relay import OutboxRelay, RelayPublishError
from clinic_shared.events.replay import replay

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
    "EventConsumer",
    "EventEnvelope",
    "EventHandler",
    "OutboxRelay",
    "RelayPublishError",
    "add_event",
    "apply_once",
    "from_fields",
    "new_envelope",
    "outbox_table",
    "processed_events_table",
    "replay",
    "to_fields",
]
