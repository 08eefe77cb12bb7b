"""`make run`'s default: the same system on SQLite files and the embedded Redis."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import redis

from e2e_helpers import login
from stack import Stack, running


def test_embedded_stack_serves_a_login_and_publishes_events(tmp_path: Path) -> None:
    stack = Stack(
        app_env="dev",
        port_base=int(os.environ.get("E2E_EMBEDDED_PORT_BASE", "19000")),
        database_server=None,
        redis_url=None,
        var_dir=tmp_path / "var",
        log_dir=tmp_path / "logs",
        fast_password_hashing=True,
    )
    with running(stack), httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        token = login(client, "admin@demo.clinic")
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["email"] == "admin@demo.clinic"
        assert (tmp_path / "var" / "data" / "identity.sqlite").exists()
        embedded = redis.Redis.from_url(stack.effective_redis_url())
        # The seed's user.registered events, published by identity's outbox relay.
        deadline = time.monotonic() + 10
        while embedded.xlen("events.identity") < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert embedded.xlen("events.identity") >= 4
