"""Helpers for the cross-service tests."""

from __future__ import annotations

import httpx

DEMO_PASSWORD = "demo1234"


def login(client: httpx.Client, email: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the gateway and return the access token."""
    response = client.post("/api/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token
