"""Dashboard aggregation with contexts down or slow, the merged OpenAPI, and the test reset."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable

import httpx

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_gateway.openapi import SWAGGER_UI_DIR
from clinic_shared.testing.keys import TokenFactory

from .conftest import FakeService, ServerThread, closed_port_url, fake_service_app


def test_dashboard_merges_what_answers_and_lists_the_rest(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    started = time.monotonic()
    response = client.get(
        "/api/dashboard/stats", headers={"Authorization": f"Bearer {token_factory()}"}
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json() == {
        "totalPatients": 12,
        "totalAppointments": None,
        "totalInvoices": None,
        "totalUsers": 4,
        # billing is slow (it answers, too late); nothing ever listened where scheduling would
        # be, and records has no upstream at all: a clinic that does not run them.
        "degraded": ["billing"],
        "notDeployed": ["scheduling", "records"],
    }
    assert elapsed < 1.5, "a slow context must not hold the dashboard past its timeout"


def test_a_context_refusing_the_role_is_neither_counted_nor_degraded(
    make_settings: Callable[..., GatewaySettings],
    identity: tuple[FakeService, str],
    test_jwks: dict,
    token_factory: TokenFactory,
) -> None:
    billing = FakeService(jwks=test_jwks)
    refusing = fake_service_app(billing, {"forbidden": True, "totalInvoices": 7})
    with ServerThread(refusing) as upstream:
        settings = make_settings(
            {"identity": identity[1], "billing": upstream.url},
            dashboard_contexts=("identity", "billing"),
        )
        with ServerThread(create_app(settings)) as gateway:
            response = httpx.get(
                f"{gateway.url}/api/dashboard/stats",
                headers={"Authorization": f"Bearer {token_factory()}"},
            )
    assert response.status_code == 200
    assert response.json()["totalInvoices"] is None
    assert response.json()["degraded"] == []


def test_dashboard_needs_a_token(client: httpx.Client) -> None:
    response = client.get("/api/dashboard/stats")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_dashboard_with_no_context_running_still_answers(
    make_settings: Callable[..., GatewaySettings],
    identity: tuple[FakeService, str],
    token_factory: TokenFactory,
) -> None:
    down = closed_port_url()
    settings = make_settings(
        {"identity": identity[1], "patients": down, "scheduling": down, "billing": down},
        dashboard_contexts=("patients", "scheduling", "billing", "records"),
    )
    with ServerThread(create_app(settings)) as gateway:
        response = httpx.get(
            f"{gateway.url}/api/dashboard/stats",
            headers={"Authorization": f"Bearer {token_factory()}"},
        )
    assert response.status_code == 200
    # Never answered this gateway: not deployed, so no warning on every login.
    assert response.json()["degraded"] == []
    assert response.json()["notDeployed"] == ["patients", "scheduling", "billing", "records"]
    assert response.json()["totalPatients"] is None


def test_a_context_that_answered_and_then_stops_is_degraded(
    make_settings: Callable[..., GatewaySettings],
    identity: tuple[FakeService, str],
    token_factory: TokenFactory,
) -> None:
    headers = {"Authorization": f"Bearer {token_factory()}"}
    with ServerThread(fake_service_app(FakeService(), {"totalPatients": 5})) as patients:
        settings = make_settings(
            {"identity": identity[1], "patients": patients.url}, dashboard_contexts=("patients",)
        )
        with ServerThread(create_app(settings)) as gateway:
            url = f"{gateway.url}/api/dashboard/stats"
            first = httpx.get(url, headers=headers).json()
            patients.__exit__(None, None, None)  # patients stops: its port now refuses
            later = httpx.get(url, headers=headers).json()
    assert (first["totalPatients"], first["degraded"], first["notDeployed"]) == (5, [], [])
    assert (later["totalPatients"], later["degraded"], later["notDeployed"]) == (
        None,
        ["patients"],
        [],
    )


def test_a_context_up_when_the_gateway_started_and_then_stopped_is_degraded(
    make_settings: Callable[..., GatewaySettings],
    identity: tuple[FakeService, str],
    token_factory: TokenFactory,
) -> None:
    """Its first dashboard call after the stop: the gateway greeted it at start, so it was there."""
    headers = {"Authorization": f"Bearer {token_factory()}"}
    with ServerThread(fake_service_app(FakeService(), {"totalPatients": 5})) as patients:
        settings = make_settings(
            {"identity": identity[1], "patients": patients.url}, dashboard_contexts=("patients",)
        )
        app = create_app(settings)
        with ServerThread(app) as gateway:
            pool = app.state.gateway.upstreams.pools["patients"]
            deadline = time.monotonic() + 5
            while not pool.answered and time.monotonic() < deadline:
                time.sleep(0.01)
            patients.__exit__(None, None, None)
            stats = httpx.get(f"{gateway.url}/api/dashboard/stats", headers=headers).json()
    assert (stats["degraded"], stats["notDeployed"]) == (["patients"], [])


def test_merged_openapi_has_service_paths_and_gateway_paths(client: httpx.Client) -> None:
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert "/api/me" in paths
    assert "/api/login" in paths
    assert "/api/dashboard/stats" in paths  # the gateway's
    assert "/stats" not in paths
    assert "/healthz" not in paths
    assert document["info"]["x-unavailable-services"] == ["scheduling"]
    stats = paths["/api/dashboard/stats"]["get"]
    assert stats["security"] == [{"HTTPBearer": []}]


def test_docs_page_loads_only_same_origin_pinned_assets(client: httpx.Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp  # no CDN, no inline script, no hash needed
    assert "frame-ancestors 'none'" in csp
    assert "<script>" not in html  # every script is a file
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    for reference in references:
        assert reference.startswith("/api/docs/assets/"), reference  # same origin, no scheme/host
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        assert "content-security-policy" in asset.headers
    assert "//" not in "".join(references)
    init = client.get("/api/docs/assets/swagger-init.js").text
    assert "/api/openapi.json" in init


def test_docs_assets_are_the_pinned_files_and_nothing_else(client: httpx.Client) -> None:
    sums = (SWAGGER_UI_DIR / "SHA256SUMS").read_text().split("\n")
    for line in filter(None, sums):
        digest, name = line.split()
        served = client.get(f"/api/docs/assets/{name}")
        assert hashlib.sha256(served.content).hexdigest() == digest, name
    for name in ("LICENSE", "..%2Fopenapi.py", "swagger-ui-bundle.js.map", "SHA256SUMS"):
        missing = client.get(f"/api/docs/assets/{name}")
        assert missing.status_code == 404, name
        assert missing.headers["content-type"] == "application/problem+json"


def test_reset_db_fans_out_in_test_mode(
    make_settings: Callable[..., GatewaySettings], test_jwks: dict
) -> None:
    service = FakeService(jwks=test_jwks)
    with ServerThread(fake_service_app(service, None)) as upstream:
        settings = make_settings({"identity": upstream.url}, app_env="test")
        with ServerThread(create_app(settings)) as gateway:
            response = httpx.post(f"{gateway.url}/api/test/reset-db")
    assert response.status_code == 204
    assert service.resets == 1


def test_reset_db_names_the_services_that_failed(
    make_settings: Callable[..., GatewaySettings], identity: tuple[FakeService, str]
) -> None:
    settings = make_settings(
        {"identity": identity[1], "patients": closed_port_url()},
        routes={"/api/me": "identity", "/api/patients": "patients"},
        app_env="test",
    )
    with ServerThread(create_app(settings)) as gateway:
        response = httpx.post(f"{gateway.url}/api/test/reset-db")
    assert response.status_code == 502
    assert response.json()["failed"] == ["patients"]


def test_reset_db_does_not_exist_outside_test_mode(client: httpx.Client) -> None:
    response = client.post("/api/test/reset-db")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
