"""Serving the SPA: index.html per locale with translations injected; assets; deep links."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable

import httpx
import pytest

from clinic_gateway.config import GatewaySettings
from clinic_gateway.main import create_app

from .conftest import ASSET, FakeService, ServerThread


def _bootstrap(html: str) -> tuple[str, str, dict[str, str]]:
    match = re.search(
        r"<script>(window\.APP_LOCALE=(.*?);window\.APP_TRANSLATIONS=(.*?);)</script>", html
    )
    assert match is not None, html
    return match.group(1), json.loads(match.group(2)), json.loads(match.group(3))


def _assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize(
    ("cookies", "accept_language", "locale", "language_label"),
    [
        ({}, None, "es", "Idioma"),
        ({}, "en-GB,en;q=0.9", "en", "Language"),
        ({"locale": "en"}, None, "en", "Language"),
        ({"locale": "es"}, "en-US,en;q=0.9", "es", "Idioma"),
        ({"locale": "de"}, "en", "en", "Language"),
    ],
)
def test_index_is_rendered_in_the_request_locale(
    gateway: str,
    cookies: dict[str, str],
    accept_language: str | None,
    locale: str,
    language_label: str,
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    with httpx.Client(base_url=gateway, cookies=cookies) as http:
        response = http.get("/", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    script, injected_locale, translations = _bootstrap(response.text)
    assert injected_locale == locale
    assert translations["language.label"] == language_label
    assert f'<html lang="{locale}">' in response.text
    _assert_security_headers(response)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/patients/12", "/users", "/login", "/index.html"])
def test_deep_links_fall_back_to_index(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert _bootstrap(response.text)[1] == "en"
    assert f'src="/{ASSET}"' in response.text


def test_hashed_assets_are_cached_for_good(client: httpx.Client) -> None:
    response = client.get(f"/{ASSET}")
    assert response.status_code == 200
    assert response.text == "console.log('clinic')"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "javascript" in response.headers["content-type"]
    _assert_security_headers(response)


def test_other_files_are_revalidated(client: httpx.Client) -> None:
    response = client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_a_missing_asset_is_404_not_html(client: httpx.Client) -> None:
    response = client.get("/assets/index-old.js")
    assert response.status_code == 404
    assert "text/html" not in response.headers["content-type"]


def test_only_get_and_head_reach_the_spa(client: httpx.Client) -> None:
    assert client.head("/patients").status_code == 200
    response = client.post("/patients")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_without_a_build_a_page_says_how_to_build_it(
    make_settings: Callable[..., GatewaySettings], identity: tuple[FakeService, str]
) -> None:
    with ServerThread(create_app(make_settings({"identity": identity[1]}))) as gateway:
        response = httpx.get(f"{gateway.url}/patients/3")
    assert response.status_code == 200
    assert "make frontend" in response.text
    assert "npm --prefix frontend ci &amp;&amp; npm --prefix frontend run build" in response.text
    _assert_security_headers(response)
