"""Finding 4 (forwarded headers), 9 (/metrics and /readyz for the scraper only), 12 (HSTS)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app
from clinic_shared.testing.keys import TokenFactory

from .conftest import OPS_AUTH, OPS_TOKEN, FakeService, ServerThread, fake_service_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def echo_identity(test_jwks: dict[str, Any]) -> Iterator[tuple[FakeService, str]]:
    service = FakeService(jwks={"keys": list(test_jwks["keys"])})
    with ServerThread(fake_service_app(service, None)) as server:
        yield service, server.url


def _gateway(
    make_settings: Callable[..., GatewaySettings], identity_url: str, **overrides: Any
) -> ServerThread:
    # As in the image: uvicorn's own proxy handling off, the gateway decides.
    return ServerThread(
        create_app(make_settings({"identity": identity_url}, **overrides)), proxy_headers=False
    )


def _seen_after_login(
    service: FakeService, client: httpx.Client, headers: dict[str, str]
) -> dict[str, Any]:
    service.seen.clear()
    assert client.post("/api/login", json={}, headers=headers).status_code == 200
    [seen] = service.seen
    return seen


# --- finding 4: who the client is -------------------------------------------------------------


def test_client_sent_forwarded_for_is_replaced_by_the_peer(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    service, url = echo_identity
    with _gateway(make_settings, url) as gateway, httpx.Client(base_url=gateway.url) as client:
        for spoofed in ("203.0.113.9", "198.51.100.1, 192.0.2.1", "10.0.0.1, unknown"):
            seen = _seen_after_login(service, client, {"X-Forwarded-For": spoofed})
            assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
            seen = _seen_after_login(service, client, {"X-Forwarded-Proto": "https"})
            assert seen["headers"]["x-forwarded-proto"] == "http"


def test_a_trusted_proxy_states_the_client_with_its_last_hop(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    service, url = echo_identity
    with (
        _gateway(make_settings, url, trusted_proxies=["127.0.0.0/8"]) as gateway,
        httpx.Client(base_url=gateway.url) as client,
    ):
        # nginx sets X-Forwarded-For to the address it saw; only that last hop is believed.
        seen = _seen_after_login(
            service,
            client,
            {"X-Forwarded-For": "1.2.3.4, 203.0.113.7", "X-Forwarded-Proto": "https"},
        )
        assert seen["headers"]["x-forwarded-for"] == "203.0.113.7"
        assert seen["headers"]["x-forwarded-proto"] == "https"


def test_uvicorn_proxy_headers_on_loopback_do_not_let_a_client_choose_its_address(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    # uvicorn's default (proxy headers on, loopback trusted) rewrites the peer from the header;
    # the gateway then vouches for no address, so identity counts the gateway's own.
    service, url = echo_identity
    settings = make_settings({"identity": url})
    with (
        ServerThread(create_app(settings)) as gateway,
        httpx.Client(base_url=gateway.url) as client,
    ):
        addresses = {
            _seen_after_login(service, client, {"X-Forwarded-For": f"203.0.113.{i}"})[
                "headers"
            ].get("x-forwarded-for")
            for i in range(10)
        }
        assert addresses == {None}
        # Without the header the peer is known and forwarded.
        assert _seen_after_login(service, client, {})["headers"]["x-forwarded-for"] == "127.0.0.1"


# --- finding 9: ops endpoints ------------------------------------------------------------------


def test_metrics_and_readyz_need_the_scrape_token(client: httpx.Client) -> None:
    for path in ("/metrics", "/readyz"):
        anonymous = client.get(path)
        assert anonymous.status_code == 401, path
        assert anonymous.headers["content-type"] == PROBLEM
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        wrong = client.get(path, headers={"Authorization": f"Bearer {OPS_TOKEN}x"})
        assert wrong.status_code == 401, path
        assert client.get(path, headers=OPS_AUTH).status_code in (200, 503), path
    assert client.get("/metrics", headers=OPS_AUTH).status_code == 200
    assert "http_requests_total" in client.get("/metrics", headers=OPS_AUTH).text
    assert client.get("/healthz").status_code == 200  # liveness stays public


def _count(text: str, route: str, status: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels.get("route") == route
        and sample.labels.get("status") == status
    )


# Letters, not digits: "4711" was once found in a sample's timestamp (1.796694253424711e+09).
PATH_MARKER = "path-marker-qz"


def test_metrics_label_requests_by_upstream_never_by_path(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    user = {"Authorization": f"Bearer {token_factory()}"}
    before = client.get("/metrics", headers=OPS_AUTH).text
    assert client.post("/api/login", json={}).status_code == 200
    assert client.get(f"/api/appointments/{PATH_MARKER}", headers=user).status_code == 503  # down
    assert client.get(f"/api/nowhere/{PATH_MARKER}", headers=user).status_code == 404
    assert client.get(f"/calendar/{PATH_MARKER}").status_code == 200  # the SPA
    after = client.get("/metrics", headers=OPS_AUTH).text

    for route, status in (
        ("proxy:identity", "200"),
        ("proxy:scheduling", "503"),
        ("unmatched", "404"),
        ("spa", "200"),
    ):
        assert _count(after, route, status) - _count(before, route, status) == 1, route
    assert PATH_MARKER not in after
    assert "{path:path}" not in after


def test_a_user_token_is_not_a_scrape_token(
    client: httpx.Client, token_factory: TokenFactory
) -> None:
    user = {"Authorization": f"Bearer {token_factory()}"}
    assert client.get("/metrics", headers=user).status_code == 401


def test_without_a_configured_token_ops_endpoints_do_not_exist(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    with (
        _gateway(make_settings, echo_identity[1], ops_token=None) as gateway,
        httpx.Client(base_url=gateway.url) as client,
    ):
        for path in ("/metrics", "/readyz"):
            assert client.get(path).status_code == 404
            assert client.get(path, headers=OPS_AUTH).status_code == 404
        assert client.get("/healthz").status_code == 200


def test_a_short_ops_token_is_refused(make_settings: Callable[..., GatewaySettings]) -> None:
    with pytest.raises(ValueError, match="ops_token"):
        make_settings({"identity": "http://127.0.0.1:1"}, ops_token="short")


# --- finding 12: HSTS --------------------------------------------------------------------------

HSTS = "strict-transport-security"


def test_hsts_only_when_a_trusted_proxy_says_https(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    url = echo_identity[1]
    with (
        _gateway(make_settings, url, trusted_proxies=["127.0.0.1"]) as behind_nginx,
        _gateway(make_settings, url) as direct,
    ):
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        for path in ("/healthz", "/api/docs", "/api/nope"):
            answer = httpx.get(behind_nginx.url + path, headers=https)
            assert answer.headers[HSTS] == "max-age=31536000; includeSubDomains", path
            assert HSTS not in httpx.get(behind_nginx.url + path).headers  # plain http
            # A client's own X-Forwarded-Proto is not the gateway's to believe.
            assert HSTS not in httpx.get(direct.url + path, headers=https).headers


def test_hsts_can_be_disabled(
    make_settings: Callable[..., GatewaySettings], echo_identity: tuple[FakeService, str]
) -> None:
    with _gateway(
        make_settings, echo_identity[1], trusted_proxies=["127.0.0.1"], hsts_max_age_seconds=0
    ) as gateway:
        answer = httpx.get(gateway.url + "/healthz", headers={"X-Forwarded-Proto": "https"})
        assert HSTS not in answer.headers
