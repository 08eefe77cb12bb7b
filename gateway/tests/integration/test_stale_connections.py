"""Findings 3 and 16: a request after a service's 500 (or after it closed a pooled connection)
is never a 502, and a request the service may have processed is never sent twice."""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.keys import TokenFactory

from .conftest import ServerThread


class ClosingService:
    """A raw HTTP/1.1 upstream that closes keep-alive connections the way a crashed-then-closing
    service does: the second request on a connection is dropped unread (the service had closed
    it), and ``/api/patients/crash`` is read in full, processed, then dropped without an answer.

    Plain blocking sockets, a thread per connection. (It was an asyncio server: about one run in
    thirty, a connection accepted just after another was aborted was never read from, and the
    gateway's retry on it waited 10 s for an answer — the server's fault, not the gateway's.)
    """

    def __init__(self) -> None:
        self.processed: Counter[str] = Counter()
        self.dropped_unread = 0
        self._lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.port = self._server.server_address[1]

    def _handler_class(self) -> type[socketserver.StreamRequestHandler]:
        service = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                service.serve(self.connection, self.rfile)

        return Handler

    def serve(self, connection: socket.socket, stream: Any) -> None:
        served = 0
        while True:
            request_line = stream.readline()
            if not request_line:
                return
            if served:
                # This connection was "closed by the service" before the request arrived.
                with self._lock:
                    self.dropped_unread += 1
                _reset(connection)
                return
            path = request_line.decode("latin-1").split(" ")[1]
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length:
                stream.read(length)
            if path != "/healthz":  # the gateway's greeting at start is not under test
                with self._lock:
                    self.processed[path] += 1
            if path.endswith("/crash"):
                _reset(connection)  # processed, then died before answering
                return
            body = json.dumps({"path": path}).encode()
            connection.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            served += 1

    def __enter__(self) -> ClosingService:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _reset(connection: socket.socket) -> None:
    """Close with a TCP reset, as a process that died does, not a polite FIN."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


@pytest.fixture(scope="module")
def closing_gateway(
    identity: tuple[Any, str], make_settings: Callable[..., GatewaySettings]
) -> Iterator[tuple[ClosingService, str]]:
    with ClosingService() as service:
        settings = make_settings({"identity": identity[1], "patients": service.url})
        with ServerThread(create_app(settings), proxy_headers=False) as gateway:
            yield service, gateway.url


def test_post_on_a_connection_the_service_closed_is_sent_once_more_on_a_new_one(
    closing_gateway: tuple[ClosingService, str], token_factory: TokenFactory
) -> None:
    service, url = closing_gateway
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with httpx.Client(base_url=url, headers=auth, timeout=10) as client:
        statuses = [
            client.post(
                f"/api/patients/p{i}", json={"n": i}, headers={"Idempotency-Key": f"k{i}"}
            ).status_code
            for i in range(100)
        ]
    assert statuses == [200] * 100
    assert service.dropped_unread > 0  # the gateway did meet closed pooled connections
    # ...and every request was processed exactly once.
    assert service.processed == Counter({f"/api/patients/p{i}": 1 for i in range(100)})


def test_a_post_without_idempotency_key_is_never_sent_twice(
    closing_gateway: tuple[ClosingService, str], token_factory: TokenFactory
) -> None:
    """It may have been read by a service that then died: a resend could create a twin."""
    service, url = closing_gateway
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with httpx.Client(base_url=url, headers=auth, timeout=10) as client:
        statuses = [client.post(f"/api/patients/u{i}", json={}).status_code for i in range(20)]
    assert set(statuses) <= {200, 502}
    assert 502 in statuses  # some met a connection the service had dropped, and were not resent
    assert all(service.processed[f"/api/patients/u{i}"] <= 1 for i in range(20))


def test_a_request_the_service_may_have_processed_is_never_retried(
    closing_gateway: tuple[ClosingService, str], token_factory: TokenFactory
) -> None:
    service, url = closing_gateway
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with httpx.Client(base_url=url, headers=auth, timeout=10) as client:
        for _ in range(5):
            response = client.post("/api/patients/crash", json={})
            assert response.status_code == 502
            assert response.headers["content-type"] == "application/problem+json"
    assert service.processed["/api/patients/crash"] == 5


crash_router = APIRouter(prefix="/api/patients")


@crash_router.post("/boom")
def boom() -> None:
    """A bug."""
    raise RuntimeError("bug")


@crash_router.post("")
def create() -> dict[str, bool]:
    """Works."""
    return {"created": True}


def test_the_request_after_a_services_500_is_never_a_502(
    identity: tuple[Any, str],
    make_settings: Callable[..., GatewaySettings],
    token_factory: TokenFactory,
    test_jwks: dict[str, Any],
) -> None:
    verifier = JwtVerifier(
        JwksCache(lambda: test_jwks), issuer=token_factory.issuer, audience=token_factory.audience
    )
    service_app = create_service_app(
        ServiceSettings(service_name="patients", log_json=False, log_level="CRITICAL"),
        title="crashing patients",
        routers=[crash_router],
        verifier=verifier,
    )
    auth = {"Authorization": f"Bearer {token_factory()}"}
    with ServerThread(service_app) as service:
        settings = make_settings({"identity": identity[1], "patients": service.url})
        with (
            ServerThread(create_app(settings), proxy_headers=False) as gateway,
            httpx.Client(base_url=gateway.url, headers=auth, timeout=10) as client,
        ):
            pairs = [
                (
                    client.post("/api/patients/boom", json={}).status_code,
                    client.post("/api/patients", json={}).status_code,
                )
                for _ in range(50)
            ]
    assert pairs == [(500, 200)] * 50
