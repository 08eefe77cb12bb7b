"""Start the whole system once, in test mode, on throw-away MariaDB databases and real Redis."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, running  # noqa: E402


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The running system; its databases are dropped at the end, its Redis database released."""
    from clinic_shared.testing.redis_lease import leased_redis_url

    server = os.environ.get("TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
    redis_server = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    with leased_redis_url(redis_server) as redis_url:
        yield from _running_stack(server, redis_url)


def _running_stack(server: str, redis_url: str) -> Iterator[Stack]:
    from clinic_shared.db import drop_database
    from clinic_shared.testing.ports import free_port_base

    run = uuid.uuid4().hex[:6]
    system = Stack(
        app_env="test",
        # Free ports and a leased Redis database: two runs on one machine never meet.
        port_base=int(os.environ.get("E2E_PORT_BASE", "0")) or free_port_base(),
        database_server=server,
        database_prefix=f"e2e_{run}_",
        redis_url=redis_url,
        var_dir=ROOT / "var" / "e2e",
        log_dir=ROOT / "var" / "e2e" / "logs",
        fast_password_hashing=True,
    )
    try:
        with running(system):
            yield system
    finally:
        for spec in system.services():
            drop_database(system.database_url(spec))


# The services whose events other services' read models are built from.
PRODUCERS = ("identity", "patients", "scheduling")


@pytest.fixture
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    """A client of the gateway, on a freshly reset system whose read models have caught up.

    A reset seeds the demo users and patients again under new ids; until their events are
    consumed, scheduling does not know the practitioner identity lists ("unknown practitioner").
    """
    from e2e_helpers import events_settled, wait_until

    events = redis.Redis.from_url(stack.effective_redis_url(), decode_responses=True)
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        assert client.post("/api/test/reset-db").status_code == 204
        wait_until(lambda: events_settled(stack, events, PRODUCERS), 30, "events after reset")
        yield client


@pytest.fixture
def events(stack: Stack) -> redis.Redis:
    """The Redis the system publishes its events to."""
    return redis.Redis.from_url(stack.effective_redis_url(), decode_responses=True)
