"""Helpers for the cross-service tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import httpx
import redis
from sqlalchemy import create_engine, text

from stack import Stack

DEMO_PASSWORD = "demo1234"


def login(client: httpx.Client, email: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the gateway and return the access token."""
    response = client.post("/api/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def events_settled(stack: Stack, events: redis.Redis, producers: Iterable[str]) -> bool:
    """Whether every producer's outbox is published and every group has read and acknowledged
    its stream: what one service did has reached the read models of the others."""
    for producer in producers:
        spec = next(s for s in stack.services() if s.name == producer)
        engine = create_engine(stack.database_url(spec))
        try:
            with engine.connect() as conn:
                unpublished = conn.execute(
                    text("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
                ).scalar_one()
        finally:
            engine.dispose()
        if unpublished:
            return False
        for group in events.xinfo_groups(f"events.{producer}"):  # type: ignore[union-attr]
            if group["pending"] or group.get("lag"):
                return False
    return True


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` every 0.2 s; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not after {timeout:.0f} s"
        time.sleep(0.2)
