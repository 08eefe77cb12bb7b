"""The issue's outcome: log in through the gateway and use the API with the JWT it gives."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import redis

from e2e_helpers import login

DEMO_ACCOUNTS = {
    "admin@demo.clinic": ["ROLE_ADMIN"],
    "fisio@demo.clinic": ["ROLE_PRACTITIONER"],
    "fisio2@demo.clinic": ["ROLE_PRACTITIONER"],
    "recepcion@demo.clinic": ["ROLE_RECEPTIONIST"],
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("email", "roles"), DEMO_ACCOUNTS.items())
def test_each_demo_account_logs_in_and_reads_me(
    gateway: httpx.Client, email: str, roles: list[str]
) -> None:
    me = gateway.get("/api/me", headers=bearer(login(gateway, email)))
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert me.json()["roles"] == roles


def test_wrong_password_is_a_problem_document(gateway: httpx.Client) -> None:
    response = gateway.post("/api/login", json={"email": "admin@demo.clinic", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_api_without_token_is_refused_at_the_edge(gateway: httpx.Client) -> None:
    response = gateway.get("/api/users")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_refresh_cookie_rotates_through_the_gateway(gateway: httpx.Client) -> None:
    login(gateway, "fisio@demo.clinic")
    first = _refresh_cookie(gateway)
    refreshed = gateway.post("/api/token/refresh")
    assert refreshed.status_code == 200, refreshed.text
    assert _refresh_cookie(gateway) != first
    assert gateway.get("/api/me", headers=bearer(refreshed.json()["token"])).status_code == 200
    # The rotated-away refresh token is now a reuse: the whole family is revoked.
    gateway.cookies.clear()
    reused = gateway.post("/api/token/refresh", headers={"Cookie": f"{first[0]}={first[1]}"})
    assert reused.status_code == 401


def test_admin_creates_a_user_who_can_then_log_in(
    gateway: httpx.Client, events: redis.Redis
) -> None:
    admin = bearer(login(gateway, "admin@demo.clinic"))
    created = gateway.post(
        "/api/users",
        headers=admin,
        json={
            "email": "nuria@demo.clinic",
            "fullName": "Núria Ferrer",
            "roles": ["ROLE_PRACTITIONER"],
            "color": "#16a34a",
            "locale": "es",
            "password": "a-long-password",
        },
    )
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == f'"{created.json()["version"]}"'
    token = login(gateway, "nuria@demo.clinic", "a-long-password")
    assert gateway.get("/api/me", headers=bearer(token)).json()["fullName"] == "Núria Ferrer"
    practitioners = gateway.get("/api/practitioners", headers=bearer(token)).json()["member"]
    assert "Núria Ferrer" in [p["fullName"] for p in practitioners]
    assert _published(events, "user.registered", created.json()["id"])


def test_receptionist_gets_403_on_users(gateway: httpx.Client) -> None:
    token = login(gateway, "recepcion@demo.clinic")
    response = gateway.get("/api/users", headers=bearer(token))
    assert response.status_code == 403


def test_stale_edit_is_412_through_the_gateway(gateway: httpx.Client) -> None:
    admin = bearer(login(gateway, "admin@demo.clinic"))
    users = gateway.get("/api/users", headers=admin, params={"itemsPerPage": 100}).json()
    user_id = next(u["id"] for u in users["member"] if u["email"] == "fisio2@demo.clinic")
    current = gateway.get(f"/api/users/{user_id}", headers=admin)
    body = {k: current.json()[k] for k in ("email", "fullName", "roles", "color", "locale")}
    body["active"] = True
    etag = current.headers["etag"]
    first = gateway.put(
        f"/api/users/{user_id}",
        headers={**admin, "If-Match": etag},
        json=body | {"color": "#000000"},
    )
    assert first.status_code == 200, first.text
    second = gateway.put(f"/api/users/{user_id}", headers={**admin, "If-Match": etag}, json=body)
    assert second.status_code == 412


def test_dashboard_counts_every_running_context(gateway: httpx.Client) -> None:
    token = login(gateway, "recepcion@demo.clinic")
    stats = gateway.get("/api/dashboard/stats", headers=bearer(token))
    assert stats.status_code == 200
    body = stats.json()
    # Every context the dashboard asks is running in the test stack.
    assert body["degraded"] == []
    assert body["totalInvoices"] == 0
    assert body["totalAppointments"] == 0
    assert body["totalPatients"] == 15  # the demo clinic's patients
    assert body["totalUsers"] == 4


def test_jwks_and_health_are_public(gateway: httpx.Client) -> None:
    assert gateway.get("/.well-known/jwks.json").json()["keys"]
    assert gateway.get("/healthz").status_code == 200
    # Readiness and metrics are the scraper's (GATEWAY_OPS_TOKEN); the test stack sets none.
    assert gateway.get("/readyz").status_code == 404
    assert gateway.get("/metrics").status_code == 404


def test_request_id_is_echoed_end_to_end(gateway: httpx.Client) -> None:
    response = gateway.post(
        "/api/login",
        json={"email": "admin@demo.clinic", "password": "demo1234"},
        headers={"X-Request-ID": "e2e-trace-42"},
    )
    assert response.headers["x-request-id"] == "e2e-trace-42"


def _refresh_cookie(client: httpx.Client) -> tuple[str, str]:
    """The refresh cookie the gateway passed back (set once per path, same value)."""
    values = {(c.name, c.value) for c in client.cookies.jar if "refresh" in c.name}
    assert len(values) == 1, values
    return values.pop()


def _published(events: redis.Redis, event_type: str, user_id: object, wait: float = 5.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for _id, fields in events.xrange("events.identity"):
            envelope = json.loads(next(iter(fields.values())))
            if envelope["type"] == event_type and str(envelope["data"]["userId"]) == str(user_id):
                return True
        time.sleep(0.1)
    return False
