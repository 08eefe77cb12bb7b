"""Finding 3/16: an unhandled error is a 500 problem+json on a connection that stays open."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import APIRouter

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER

router = APIRouter(prefix="/api/boom")


@router.post("")
def explode() -> None:
    """Always fails."""
    raise RuntimeError("bug")


@router.post("/ok")
def fine() -> dict[str, bool]:
    """Always works."""
    return {"ok": True}


@pytest.fixture(scope="module")
def service_port(test_jwks: dict[str, Any]) -> Iterator[int]:
    settings = ServiceSettings(service_name="boom", log_json=False, log_level="CRITICAL")
    verifier = JwtVerifier(JwksCache(lambda: test_jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
    app = create_service_app(settings, title="boom", routers=[router], verifier=verifier)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        assert thread.is_alive(), "server did not start"
        time.sleep(0.01)
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(10)


def test_unhandled_error_keeps_the_keep_alive_connection(service_port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", service_port, timeout=5)
    try:
        for _ in range(20):
            connection.request("POST", "/api/boom", body=b"", headers={"X-Request-ID": "r-1"})
            failed = connection.getresponse()
            body = json.loads(failed.read())
            assert failed.status == 500
            assert failed.getheader("content-type") == "application/problem+json"
            assert failed.getheader("connection") != "close"
            assert failed.getheader("x-request-id") == "r-1"
            assert body["status"] == 500
            # The same socket answers the next request: nothing closed it.
            sock = connection.sock
            connection.request("POST", "/api/boom/ok", body=b"")
            ok = connection.getresponse()
            assert ok.status == 200
            assert json.loads(ok.read()) == {"ok": True}
            assert connection.sock is sock
    finally:
        connection.close()
