"""running_events: the relay runs for the app's life; the consumer stops before the relay."""

from __future__ import annotations

from typing import Any, cast

import pytest

from clinic_shared.events.lifespan import running_events


class FakeRelay:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def start(self) -> None:
        self.log.append("relay started")

    def stop(self) -> None:
        self.log.append("relay stopped")


class FakeConsumer:
    def __init__(self, log: list[str], fail_on_start: bool = False) -> None:
        self.log = log
        self.fail_on_start = fail_on_start

    async def start(self) -> None:
        if self.fail_on_start:
            raise ConnectionError("redis unreachable")
        self.log.append("consumer started")

    async def stop(self) -> None:
        self.log.append("consumer stopped")


async def test_starts_relay_then_consumer_and_stops_in_reverse() -> None:
    log: list[str] = []
    async with running_events(cast(Any, FakeRelay(log)), cast(Any, FakeConsumer(log))):
        log.append("serving")
    assert log == [
        "relay started",
        "consumer started",
        "serving",
        "consumer stopped",
        "relay stopped",
    ]


async def test_relay_alone_and_stopped_even_when_the_app_fails() -> None:
    log: list[str] = []
    with pytest.raises(RuntimeError):
        async with running_events(cast(Any, FakeRelay(log))):
            raise RuntimeError("boom")
    assert log == ["relay started", "relay stopped"]


async def test_relay_stopped_when_the_consumer_cannot_start() -> None:
    log: list[str] = []
    with pytest.raises(ConnectionError):
        async with running_events(
            cast(Any, FakeRelay(log)), cast(Any, FakeConsumer(log, fail_on_start=True))
        ):
            log.append("serving")
    assert log == ["relay started", "relay stopped"]
