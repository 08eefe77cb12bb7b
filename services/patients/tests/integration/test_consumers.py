"""Consuming appointment.* waits for scheduling: the consumer is wired but not started."""

from __future__ import annotations

import pytest

from clinic_patients import consumers
from clinic_shared.events import EventConsumer

pytestmark = pytest.mark.integration


def test_without_handlers_there_is_no_consumer(settings, client) -> None:
    assert consumers.HANDLERS == {}
    assert consumers.build_consumer(settings, client.app.state.patients.session_factory) is None


def test_with_a_handler_the_consumer_reads_the_scheduling_stream(settings, client) -> None:
    def on_booked(_session, _envelope) -> None:  # pragma: no cover - never run here
        raise AssertionError

    consumer = consumers.build_consumer(
        settings, client.app.state.patients.session_factory, {"appointment.booked": on_booked}
    )

    assert isinstance(consumer, EventConsumer)
    assert consumer.service == "patients"
    assert consumer.dead_letter_stream == "dead.patients"
