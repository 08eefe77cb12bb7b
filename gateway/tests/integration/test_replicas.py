"""Several replicas behind one upstream: round robin, out of rotation when down or not ready,
back when ready again, and a request that reached no replica sent to the next one."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.testing.keys import TokenFactory

from .conftest import ServerThread

PROBE_SECONDS = 0.1


@dataclass
class Replica:
    """A fake patients process: answers with its name, counts what it served."""

    name: str
    port: int
    ready: bool = True
    served: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/healthz")
        def healthz() -> dict[str, str]:
            return {"status": "ok"}

        @app.get("/readyz")
        def readyz() -> JSONResponse:
            return JSONResponse({"ready": self.ready}, status_code=200 if self.ready else 503)

        @app.api_route("/api/patients", methods=["GET", "POST"])
        def patients(request: Request) -> dict[str, str]:
            self.served.append(request.method)
            return {"replica": self.name}

        return app

    def serve(self) -> ServerThread:
        return ServerThread(self.app(), port=self.port)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def answered_by(client: httpx.Client, count: int, method: str = "GET") -> list[str]:
    names = []
    for _ in range(count):
        response = client.request(method, "/api/patients")
        assert response.status_code == 200, response.text
        names.append(response.json()["replica"])
    return names


@pytest.fixture
def replicas() -> list[Replica]:
    return [Replica("a", free_port()), Replica("b", free_port())]


@pytest.fixture
def balanced(
    replicas: list[Replica],
    identity: tuple[Any, str],
    make_settings: Callable[..., GatewaySettings],
    token_factory: TokenFactory,
) -> Iterator[httpx.Client]:
    """A gateway whose patients upstream lists both replicas; a client on it."""
    settings = make_settings(
        {"identity": identity[1], "patients": ",".join(r.url for r in replicas)},
        upstream_probe_seconds=PROBE_SECONDS,
    )
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with (
        ServerThread(create_app(settings), proxy_headers=False) as gateway,
        httpx.Client(base_url=gateway.url, headers=auth, timeout=10) as client,
    ):
        yield client


def test_a_comma_separated_upstream_is_balanced_round_robin(
    replicas: list[Replica], balanced: httpx.Client
) -> None:
    with replicas[0].serve(), replicas[1].serve():
        time.sleep(PROBE_SECONDS * 5)  # both probed ready (they started after the gateway)
        names = answered_by(balanced, 8)
    assert sorted(names) == ["a"] * 4 + ["b"] * 4
    assert all(names[i] != names[i + 1] for i in range(7))  # alternating


def test_a_replica_that_is_down_loses_no_request_and_returns_when_ready(
    replicas: list[Replica], balanced: httpx.Client
) -> None:
    a, b = replicas
    with a.serve():
        # b refuses connections: every request, a POST without Idempotency-Key too, goes to a.
        assert answered_by(balanced, 6, "POST") == ["a"] * 6
        assert answered_by(balanced, 6) == ["a"] * 6
        with b.serve():
            wait_until(lambda: "b" in answered_by(balanced, 2))
            assert sorted(answered_by(balanced, 6)) == ["a"] * 3 + ["b"] * 3


def test_a_replica_whose_readiness_fails_leaves_the_rotation_until_it_passes(
    replicas: list[Replica], balanced: httpx.Client
) -> None:
    a, b = replicas
    with a.serve(), b.serve():
        b.ready = False
        time.sleep(PROBE_SECONDS * 5)
        served_before = len(b.served)
        assert answered_by(balanced, 6) == ["a"] * 6
        assert len(b.served) == served_before
        b.ready = True
        wait_until(lambda: "b" in answered_by(balanced, 2))


def test_with_every_replica_out_of_rotation_they_are_still_tried(
    replicas: list[Replica], balanced: httpx.Client
) -> None:
    """The service's own answer (a 503 of its own, or a success) beats the gateway guessing."""
    a, b = replicas
    with a.serve(), b.serve():
        a.ready = b.ready = False
        time.sleep(PROBE_SECONDS * 5)
        assert sorted(answered_by(balanced, 4)) == ["a", "a", "b", "b"]


def test_no_replica_reachable_is_a_503_problem(balanced: httpx.Client) -> None:
    response = balanced.get("/api/patients")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "The patients service is unavailable."


class DyingReplica:
    """A process in its last moments: it answers its probes but drops every other request.

    Each API request is read and then its connection reset or, every other connection, reset
    as soon as it is accepted (what a killed process leaves in its listen backlog).
    """

    def __init__(self, port: int) -> None:
        self.dropped = 0
        self._listener = socket.create_server(("127.0.0.1", port))
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> DyingReplica:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        accepted = 0
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            accepted += 1
            if accepted % 2 == 0:
                self._reset(conn)
            else:
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        pending = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                return
            if not chunk:
                conn.close()
                return
            pending += chunk
            while b"\r\n\r\n" in pending:
                head, pending = pending.split(b"\r\n\r\n", 1)
                path = head.split(b" ", 2)[1]
                if path not in (b"/readyz", b"/healthz"):
                    self._reset(conn)
                    return
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: 2\r\n\r\n{}"
                )

    def _reset(self, conn: socket.socket) -> None:
        self.dropped += 1
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


def test_a_replica_dying_under_load_loses_no_request_that_is_safe_to_resend(
    replicas: list[Replica], balanced: httpx.Client
) -> None:
    """Whatever way a connection to a dying process fails, a read or a keyed write goes to
    the next replica."""
    a, b = replicas
    with a.serve(), DyingReplica(b.port) as dying:
        time.sleep(PROBE_SECONDS * 5)  # b probed ready, pooled connections to it open
        for round_ in range(60):
            read = balanced.get("/api/patients")
            keyed = balanced.post("/api/patients", headers={"Idempotency-Key": f"k-{round_}"})
            assert (read.status_code, keyed.status_code) == (200, 200), (read.text, keyed.text)
            time.sleep(PROBE_SECONDS / 4)  # let the probe put b back in the rotation
    assert dying.dropped > 20


class ClosingTransports:
    """The gateway's pooled session, except that connections to one origin are found closing.

    A killed process resets its pooled keep-alive connections; a request that takes one of
    them just as the reset arrives fails on its first write, before any byte leaves. That
    moment cannot be timed from outside, so this wrapper makes every request to ``origin`` meet
    it (the readiness probes keep the real session, and put the replica back each time).
    """

    def __init__(self, session: aiohttp.ClientSession, origin: str) -> None:
        self._session = session
        self._origin = origin
        self.refused = 0

    def request(self, method: str, url: Any, **options: Any) -> Any:
        if str(url).startswith(self._origin):
            self.refused += 1
            raise aiohttp.ClientConnectionResetError("Cannot write to closing transport")
        return self._session.request(method, url, **options)


def test_a_pooled_connection_found_closing_sends_the_request_to_the_next_replica(
    replicas: list[Replica],
    identity: tuple[Any, str],
    make_settings: Callable[..., GatewaySettings],
    token_factory: TokenFactory,
) -> None:
    """A read and a write with an Idempotency-Key go to the other replica, never a 502."""
    a, b = replicas
    settings = make_settings(
        {"identity": identity[1], "patients": f"{a.url},{b.url}"},
        upstream_probe_seconds=PROBE_SECONDS,
    )
    app = create_app(settings)
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with (
        a.serve(),
        b.serve(),
        ServerThread(app, proxy_headers=False) as gateway,
        httpx.Client(base_url=gateway.url, headers=auth, timeout=10) as client,
    ):
        upstreams = app.state.gateway.upstreams
        closing = ClosingTransports(upstreams.session, b.url)
        upstreams._session = closing
        try:
            for round_ in range(20):
                for method, key in (("GET", {}), ("POST", {"Idempotency-Key": f"k-{round_}"})):
                    answer = client.request(method, "/api/patients", headers=key)
                    assert answer.status_code == 200, answer.text
                    assert answer.json()["replica"] == "a"
                time.sleep(PROBE_SECONDS / 2)  # the probe puts b back in the rotation
        finally:
            upstreams._session = closing._session
    assert closing.refused >= 5
