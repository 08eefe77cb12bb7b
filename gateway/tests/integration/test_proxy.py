"""Routing through the gateway over real HTTP: headers, cookies, streaming, 404/502/503/504."""

from __future__ import annotations

import hashlib
import http.client
import socketserver
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.testing.keys import TokenFactory

from .conftest import OPS_AUTH, FakeService, ServerThread, expected_download, fake_service_app

PROBLEM = "application/problem+json"


def _auth(token_factory: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_factory()}"}


def test_request_reaches_identity_with_forwarding_headers(
    client: httpx.Client, identity: tuple[FakeService, str], token_factory: TokenFactory
) -> None:
    headers = {
        **_auth(token_factory),
        "X-Request-ID": "req-42",
        "X-Forwarded-For": "6.6.6.6",
        "Cookie": "locale=en",
    }
    response = client.get("/api/me?q=Garc%C3%ADa&page=2", headers=headers)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-42"
    seen = response.json()
    assert seen["target"] == "/api/me?q=Garc%C3%ADa&page=2"
    assert seen["headers"]["authorization"] == headers["Authorization"]
    assert seen["headers"]["x-request-id"] == "req-42"
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert seen["headers"]["x-forwarded-proto"] == "http"
    assert seen["headers"]["x-forwarded-host"] == urlsplit(str(client.base_url)).netloc
    assert seen["headers"]["cookie"] == "locale=en"
    assert seen["host"] == urlsplit(identity[1]).netloc
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_request_id_is_made_when_the_client_sends_none(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    response = client.get("/api/me", headers=_auth(token_factory))
    generated = response.headers["x-request-id"]
    assert len(generated) >= 16
    assert response.json()["headers"]["x-request-id"] == generated


def test_login_is_public_and_every_cookie_comes_back(
    client: httpx.Client, identity: tuple[FakeService, str]
) -> None:
    response = client.post("/api/login", json={"email": "a@b.c", "password": "x"})
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert any(c.startswith("clinic_refresh=r1") and "HttpOnly" in c for c in cookies)
    assert identity[0].seen[-1]["headers"]["content-type"] == "application/json"


def test_jwks_is_reachable_without_a_token(client: httpx.Client, test_jwks: dict) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.json()["keys"][0]["kid"] == test_jwks["keys"][0]["kid"]


def test_large_upload_streams_through_with_its_length(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    body = bytes(range(256)) * 20_000  # 5 MB, above the gateway's buffering limit
    headers = {**_auth(token_factory), "Expect": "100-continue"}  # as curl sends for big bodies
    response = client.post("/api/users/upload", content=body, headers=headers)
    assert response.status_code == 200
    assert response.json()["size"] == len(body)
    assert response.json()["sha256"] == hashlib.sha256(body).hexdigest()
    assert response.json()["headers"]["content-length"] == str(len(body))
    assert "expect" not in response.json()["headers"]


def test_chunked_upload_streams_through(client: httpx.Client, token_factory: TokenFactory) -> None:
    parts = [bytes([n]) * 100_000 for n in range(30)]

    def chunks() -> Iterator[bytes]:
        yield from parts

    response = client.post("/api/users/upload", content=chunks(), headers=_auth(token_factory))
    assert response.status_code == 200
    assert response.json()["size"] == 3_000_000
    assert response.json()["sha256"] == hashlib.sha256(b"".join(parts)).hexdigest()


def test_large_download_streams_back(client: httpx.Client, token_factory: TokenFactory) -> None:
    size = 6_000_123
    with client.stream(
        "GET", f"/api/users/download?size={size}", headers=_auth(token_factory)
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert "content-length" not in response.headers
        received = b"".join(response.iter_raw())
    assert received == expected_download(size)


def test_sized_download_keeps_its_content_length(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    size = 3_000_000
    response = client.get(
        f"/api/users/download?size={size}&sized=true", headers=_auth(token_factory)
    )
    assert response.headers["content-length"] == str(size)
    assert response.content == expected_download(size)


def test_head_is_forwarded(client: httpx.Client, token_factory: TokenFactory) -> None:
    response = client.head("/api/me", headers=_auth(token_factory))
    assert response.status_code == 200
    assert response.content == b""


def test_unknown_api_path_is_a_problem_404(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    response = client.get("/api/nowhere/1", headers=_auth(token_factory))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404


def test_upstream_down_is_a_problem_503(client: httpx.Client, token_factory: TokenFactory) -> None:
    response = client.get("/api/appointments", headers=_auth(token_factory))
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert "scheduling" in response.json()["detail"]


def test_slow_upstream_is_a_problem_504(client: httpx.Client, token_factory: TokenFactory) -> None:
    response = client.get("/api/users/slow", headers=_auth(token_factory))
    assert response.status_code == 504
    assert response.headers["content-type"] == PROBLEM
    assert "identity" in response.json()["detail"]


def test_readyz_names_the_upstream_that_is_down(client: httpx.Client) -> None:
    response = client.get("/readyz", headers=OPS_AUTH)
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "identity": "ok",
        "patients": "ok",
        "scheduling": "error: ConnectError",
        "billing": "ok",  # slow only on its stats
    }


def test_stopped_upstream_turns_ready_200_into_503(
    make_settings: Callable[..., GatewaySettings], token_factory: TokenFactory, test_jwks: dict
) -> None:
    service = FakeService(jwks=test_jwks)
    upstream = ServerThread(fake_service_app(service, None)).__enter__()
    try:
        settings = make_settings({"identity": upstream.url})
        with (
            ServerThread(create_app(settings)) as gateway,
            httpx.Client(base_url=gateway.url) as http,
        ):
            assert http.get("/readyz", headers=OPS_AUTH).status_code == 200
            assert http.get("/api/me", headers=_auth(token_factory)).status_code == 200
            upstream.__exit__()
            response = http.get("/api/me", headers=_auth(token_factory))
            assert response.status_code == 503
            assert response.headers["content-type"] == PROBLEM
            assert http.get("/readyz", headers=OPS_AUTH).status_code == 503
    finally:
        upstream.__exit__()


def test_percent_encoded_traversal_never_leaves_the_build(gateway: str) -> None:
    netloc = urlsplit(gateway).netloc
    connection = http.client.HTTPConnection(netloc)
    connection.request("GET", "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd")
    response = connection.getresponse()
    body = response.read()
    assert b"root:" not in body
    assert response.status in (200, 404)


def test_garbled_upstream_answer_is_a_problem_502(
    make_settings: Callable[..., GatewaySettings], token_factory: TokenFactory
) -> None:
    class Garbler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            self.request.sendall(b"this is not HTTP\r\n\r\n")

    with socketserver.TCPServer(("127.0.0.1", 0), Garbler) as garbler:
        threading.Thread(target=garbler.serve_forever, daemon=True).start()
        host, port = garbler.server_address[:2]
        settings = make_settings({"identity": f"http://{host}:{port}"})
        try:
            with ServerThread(create_app(settings)) as gateway:
                response = httpx.get(f"{gateway.url}/api/login")
        finally:
            garbler.shutdown()
    assert response.status_code == 502
    assert response.headers["content-type"] == PROBLEM
