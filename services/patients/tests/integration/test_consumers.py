"""The consumer reads scheduling's stream with a handler for every appointment.* event."""

from __future__ import annotations

import pytest

from clinic_patients import consumers
from clinic_shared.contracts import scheduling
from clinic_shared.events import EventConsumer

pytestmark = pytest.mark.integration


def test_without_handlers_there_is_no_consumer(client) -> None:
    assert consumers.build_consumer(client.app.state.services, {}) is None


def test_the_default_consumer_handles_every_appointment_event(client) -> None:
    consumer = consumers.build_consumer(client.app.state.services)

    assert isinstance(consumer, EventConsumer)
    assert set(consumers.HANDLERS) == set(scheduling.CONTRACTS)


def test_with_a_handler_the_consumer_reads_the_scheduling_stream(client) -> None:
    def on_booked(_session, _envelope) -> None:  # pragma: no cover - never run here
        raise AssertionError

    consumer = consumers.build_consumer(
        client.app.state.services, {"appointment.booked": on_booked}
    )

    assert isinstance(consumer, EventConsumer)
    assert consumer.service == "patients"
    assert consumer.dead_letter_stream == "dead.patients"
