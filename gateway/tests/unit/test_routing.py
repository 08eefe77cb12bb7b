"""The route table (longest prefix, segment-aligned, wildcards) and public-path matching."""

from __future__ import annotations

import pytest

from clinic_gateway.config import DEFAULT_PUBLIC_PATHS, DEFAULT_ROUTES
from clinic_gateway.routing import RouteTable, is_api_path, is_public

TABLE = RouteTable(
    {
        **DEFAULT_ROUTES,
        "/api/patients": "patients",
        "/api/practitioners/{id}/working-hours": "scheduling",
        "/api/practitioners/{id}/stats": "reports",
        "/api/practitioners/me/stats": "identity",
        "/api": "fallback",
    }
)


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/api/login", "identity"),
        ("/api/token/refresh", "identity"),
        ("/api/me", "identity"),
        ("/api/me/password", "identity"),
        ("/api/users/42", "identity"),
        ("/.well-known/jwks.json", "identity"),
        ("/api/patients", "patients"),
        ("/api/patients/7/duplicates", "patients"),
        ("/api/practitioners", "identity"),
        ("/api/practitioners/5", "identity"),
        ("/api/practitioners/5/working-hours", "scheduling"),
        ("/api/practitioners/5/working-hours/2", "scheduling"),
        ("/api/practitioners/me/stats", "identity"),
        ("/api/practitioners/9/stats", "reports"),
        ("/api/meetings", "fallback"),
        ("/api/users-export", "fallback"),
    ],
)
def test_longest_segment_aligned_prefix_wins(path: str, upstream: str) -> None:
    assert TABLE.match(path) == upstream


def test_paths_outside_every_prefix_match_nothing() -> None:
    table = RouteTable(DEFAULT_ROUTES)
    assert table.match("/api/meetings") is None
    assert table.match("/api") is None
    assert table.match("/") is None
    assert table.match("/patients/12") is None
    assert table.match("/.well-known/other") is None


def test_owns_accepts_openapi_templates() -> None:
    assert TABLE.owns("scheduling", "/api/practitioners/{practitionerId}/working-hours")
    assert TABLE.owns("identity", "/api/users/{user_id}")
    assert not TABLE.owns("identity", "/api/patients/{id}")


@pytest.mark.parametrize(
    "path",
    ["/api/login", "/api/login/", "/api/token/refresh", "/api/logout", "/.well-known/jwks.json"],
)
def test_login_refresh_logout_and_jwks_are_public(path: str) -> None:
    assert is_public(path, DEFAULT_PUBLIC_PATHS)


@pytest.mark.parametrize(
    "path",
    ["/api/me", "/api/users", "/api/login/../users", "/api/loginx", "/api/token", "/api/token/x"],
)
def test_everything_else_needs_a_token(path: str) -> None:
    assert not is_public(path, DEFAULT_PUBLIC_PATHS)


def test_api_namespace() -> None:
    assert is_api_path("/api")
    assert is_api_path("/api/anything")
    assert not is_api_path("/apis")
    assert not is_api_path("/patients/3")
