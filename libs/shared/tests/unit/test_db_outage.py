"""Finding 17: a down or frozen database gives 503 + Retry-After in time; /healthz stays fast.

No real database here: a closed port stands for a stopped server, and a socket that accepts
connections but never says a word stands for a frozen one (SIGSTOP'd mariadbd looks exactly so).
The real MariaDB cases (statement time limit, stopped and frozen server) are in
``tests/integration/test_db_time_limits.py`` and the fault suite (``tests-e2e/faults/``).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.db import DbTimeouts, create_engine_for
from clinic_shared.problems import PROBLEM_JSON, is_database_unavailable
from clinic_shared.settings import ServiceSettings

# The gateway's upstream timeout: every database time limit must end before it.
GATEWAY_TIMEOUT = pytest.importorskip("clinic_gateway.config").GatewaySettings().upstream_timeout


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def frozen_server() -> Iterator[int]:
    """A TCP server that accepts and then never answers (a SIGSTOP'd database)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def _app(engine: Engine) -> FastAPI:
    router = APIRouter()

    @router.get("/api/things")
    def read_things() -> dict[str, int]:
        with engine.connect() as conn:
            return {"count": int(conn.execute(text("SELECT 1")).scalar_one())}

    @router.post("/api/broken")
    def broken() -> None:
        raise IntegrityError("INSERT", {}, Exception(1062, "Duplicate entry"))

    settings = ServiceSettings(service_name="outage", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    return create_service_app(settings, title="Outage", routers=[router], verifier=verifier)


def _engine(port: int, timeouts: DbTimeouts | None = None) -> Engine:
    return create_engine_for(
        f"mysql+pymysql://root@127.0.0.1:{port}/clinic_x",
        timeouts=timeouts or ServiceSettings(database_url="sqlite://").db_timeouts,
    )


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://svc",
        timeout=30,
    )


def test_default_time_limits_end_before_the_gateway_gives_up() -> None:
    timeouts = ServiceSettings(database_url="sqlite://").db_timeouts

    assert 0 < timeouts.statement < timeouts.read
    assert min(timeouts.connect, timeouts.write, timeouts.pool) > 0
    assert timeouts.worst_case_seconds() < GATEWAY_TIMEOUT


def test_settings_time_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_SECONDS", "1.5")

    assert ServiceSettings(database_url="sqlite://").db_timeouts.statement == 1.5


def test_a_stopped_database_answers_503_with_retry_after() -> None:
    engine = _engine(_closed_port())

    async def run() -> httpx.Response:
        async with _client(_app(engine)) as client:
            return await client.get("/api/things")

    started = time.monotonic()
    response = asyncio.run(run())
    elapsed = time.monotonic() - started
    engine.dispose()

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["status"] == 503
    assert elapsed < 2


def test_a_frozen_database_answers_503_before_the_gateway_timeout(frozen_server: int) -> None:
    engine = _engine(frozen_server)

    async def run() -> httpx.Response:
        async with _client(_app(engine)) as client:
            return await client.get("/api/things")

    started = time.monotonic()
    response = asyncio.run(run())
    elapsed = time.monotonic() - started
    engine.dispose()

    assert response.status_code == 503
    assert "retry-after" in response.headers
    assert elapsed < GATEWAY_TIMEOUT - 1


def test_healthz_stays_fast_while_every_worker_thread_waits_on_a_frozen_database(
    frozen_server: int,
) -> None:
    engine = _engine(frozen_server, DbTimeouts(connect=3, read=3, write=3, statement=2, pool=3))
    app = _app(engine)

    async def run() -> tuple[float, list[int]]:
        async with _client(app) as client:
            hanging = [asyncio.create_task(client.get("/api/things")) for _ in range(60)]
            await asyncio.sleep(0.5)  # every worker thread is now blocked on the database
            started = time.monotonic()
            health = await client.get("/healthz")
            elapsed = time.monotonic() - started
            assert health.status_code == 200
            statuses = [r.status_code for r in await asyncio.gather(*hanging)]
            return elapsed, statuses

    elapsed, statuses = asyncio.run(run())
    engine.dispose()

    assert elapsed < 0.5
    assert set(statuses) == {503}


def test_integrity_errors_are_not_outages() -> None:
    engine = _engine(_closed_port())

    async def run() -> httpx.Response:
        async with _client(_app(engine)) as client:
            return await client.post("/api/broken")

    response = asyncio.run(run())
    engine.dispose()

    assert response.status_code == 500
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("code", "unavailable"),
    [(2003, True), (2013, True), (1969, True), (1205, True), (1054, False), (1146, False)],
)
def test_which_operational_errors_mean_unavailable(code: int, unavailable: bool) -> None:
    error = OperationalError("SELECT 1", {}, Exception(code, "message"))

    assert is_database_unavailable(error) is unavailable
