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

E2E_REDIS_DB = 5


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The running system; its databases are dropped at the end."""
    from clinic_shared.db import drop_database

    server = os.environ.get("TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
    redis_base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    redis_url = f"{redis_base}/{E2E_REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    run = uuid.uuid4().hex[:6]
    system = Stack(
        app_env="test",
        port_base=int(os.environ.get("E2E_PORT_BASE", "18000")),
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


@pytest.fixture
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    """A client of the gateway, on a freshly reset system."""
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        assert client.post("/api/test/reset-db").status_code == 204
        yield client


@pytest.fixture
def events(stack: Stack) -> redis.Redis:
    """The Redis the system publishes its events to."""
    return redis.Redis.from_url(stack.effective_redis_url(), decode_responses=True)
