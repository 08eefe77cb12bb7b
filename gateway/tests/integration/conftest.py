"""Real HTTP on loopback: fake upstream services and gateways, each a uvicorn server in a thread."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from clinic_gateway.config import DEFAULT_ROUTES, GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.testing.keys import TokenFactory

ASSET = "assets/index-3f2a1c.js"
OPS_TOKEN = "scrape-token-for-the-tests"
OPS_AUTH = {"Authorization": f"Bearer {OPS_TOKEN}"}
INDEX_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Clinic</title>'
    f'<script type="module" crossorigin src="/{ASSET}"></script></head>'
    '<body><div id="root"></div></body></html>'
)


class ServerThread:
    """A uvicorn server on a free loopback port, in a background thread."""

    def __init__(self, app: Any, **options: Any) -> None:
        options.setdefault("port", 0)
        config = uvicorn.Config(
            app, host="127.0.0.1", log_config=None, log_level="warning", **options
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    @property
    def url(self) -> str:
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"


@dataclass
class FakeService:
    """What a fake upstream saw and what it publishes."""

    jwks: dict[str, Any] = field(default_factory=dict)
    seen: list[dict[str, Any]] = field(default_factory=list)
    resets: int = 0


def fake_service_app(
    service: FakeService, stats: dict[str, Any] | None, stats_delay: float = 0.0
) -> FastAPI:
    """An upstream: JWKS, echo, login cookies, streaming both ways, a slow route, stats, reset."""
    app = FastAPI()

    def record(request: Request) -> dict[str, Any]:
        seen = {
            "method": request.method,
            "target": request.scope["raw_path"].decode()
            + (
                "?" + request.scope["query_string"].decode()
                if request.scope["query_string"]
                else ""
            ),
            "headers": {k: v for k, v in request.headers.items() if k != "host"},
            "host": request.headers.get("host"),
        }
        service.seen.append(seen)
        return seen

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/.well-known/jwks.json")
    def jwks() -> dict[str, Any]:
        return service.jwks

    @app.get("/stats")
    async def stats_route(request: Request) -> Any:
        await asyncio.sleep(stats_delay)
        if stats is None or "authorization" not in request.headers:
            return JSONResponse({"detail": "no"}, status_code=401 if stats else 404)
        if stats.get("forbidden"):
            return JSONResponse({"detail": "role"}, status_code=403)
        return stats

    def echo(request: Request) -> dict[str, Any]:
        return record(request)

    app.add_api_route("/api/me", echo, methods=["GET"])
    app.add_api_route("/api/me", echo, methods=["HEAD"], include_in_schema=False)

    @app.post("/api/login")
    def login(request: Request) -> Response:
        record(request)
        response = JSONResponse({"token": "t"})
        response.set_cookie("clinic_refresh", "r1", httponly=True, samesite="strict")
        response.set_cookie("other", "o1", httponly=True)
        return response

    @app.post("/api/users/upload")
    async def upload(request: Request) -> dict[str, Any]:
        digest, size = hashlib.sha256(), 0
        async for chunk in request.stream():
            digest.update(chunk)
            size += len(chunk)
        return {"size": size, "sha256": digest.hexdigest(), **record(request)}

    @app.get("/api/users/download")
    def download(size: int, sized: bool = False) -> Response:
        async def chunks() -> AsyncIterator[bytes]:
            for offset in range(0, size, 65536):
                yield bytes((offset // 65536) % 256 for _ in range(min(65536, size - offset)))

        headers = {"Content-Length": str(size)} if sized else {}
        return StreamingResponse(chunks(), media_type="application/pdf", headers=headers)

    @app.get("/api/users/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(1.5)
        return {"status": "late"}

    @app.post("/api/test/reset-db", status_code=204)
    def reset() -> None:
        service.resets += 1

    return app


def expected_download(size: int) -> bytes:
    return b"".join(
        bytes([(offset // 65536) % 256]) * min(65536, size - offset)
        for offset in range(0, size, 65536)
    )


def closed_port_url() -> str:
    """A loopback URL nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def identity(test_jwks: dict[str, Any]) -> Iterator[tuple[FakeService, str]]:
    """A fake identity publishing the test JWKS."""
    service = FakeService(jwks={"keys": list(test_jwks["keys"])})
    with ServerThread(fake_service_app(service, {"totalUsers": 4})) as server:
        yield service, server.url


@pytest.fixture(scope="session")
def patients() -> Iterator[tuple[FakeService, str]]:
    """A fake patients service with stats."""
    service = FakeService()
    with ServerThread(fake_service_app(service, {"totalPatients": 12})) as server:
        yield service, server.url


@pytest.fixture(scope="session")
def slow_billing() -> Iterator[str]:
    """A fake billing whose stats take longer than the dashboard waits."""
    with ServerThread(fake_service_app(FakeService(), {"totalInvoices": 3}, 2.0)) as server:
        yield server.url


@pytest.fixture(scope="session")
def spa_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built SPA: index.html, one hashed asset and a favicon."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / ASSET).write_text("console.log('clinic')")
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return dist


@pytest.fixture(scope="session")
def make_settings(token_factory: TokenFactory) -> Callable[..., GatewaySettings]:
    """Gateway settings trusting the test tokens; keyword arguments override."""

    def make(upstreams: dict[str, str], **overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "upstreams": upstreams,
            # Only the routes whose upstream this test runs (the defaults grow with each context).
            "routes": {p: u for p, u in DEFAULT_ROUTES.items() if u in upstreams},
            "jwks_url": f"{upstreams['identity']}/.well-known/jwks.json",
            "jwt_issuer": token_factory.issuer,
            "jwt_audience": token_factory.audience,
            "log_json": False,
            "log_level": "WARNING",
            "frontend_dist": Path("/nonexistent/dist"),
            "ops_token": OPS_TOKEN,
        }
        values.update(overrides)
        return GatewaySettings(**values)

    return make


@pytest.fixture(scope="session")
def gateway(
    identity: tuple[FakeService, str],
    patients: tuple[FakeService, str],
    slow_billing: str,
    spa_dist: Path,
    make_settings: Callable[..., GatewaySettings],
) -> Iterator[str]:
    """The shared gateway: identity and patients up, scheduling down, billing slow, SPA built."""
    upstreams = {
        "identity": identity[1],
        "patients": patients[1],
        "scheduling": closed_port_url(),
        "billing": slow_billing,
    }
    settings = make_settings(
        upstreams,
        routes={p: u for p, u in DEFAULT_ROUTES.items() if u in upstreams},
        upstream_timeout=0.5,
        dashboard_timeout=0.5,
        frontend_dist=spa_dist,
    )
    # As when facing clients directly: no X-Forwarded-* from them is believed.
    with ServerThread(create_app(settings), proxy_headers=False) as server:
        yield server.url


@pytest.fixture
def client(gateway: str) -> Iterator[httpx.Client]:
    """An HTTP client on the shared gateway."""
    with httpx.Client(base_url=gateway, timeout=10) as http:
        yield http
