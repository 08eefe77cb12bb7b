"""Finding 4: a client cannot dodge the per-address login cap by rotating X-Forwarded-For."""

from __future__ import annotations

import httpx


def test_rotating_forwarded_for_from_one_client_is_still_throttled(gateway: httpx.Client) -> None:
    statuses = []
    for attempt in range(115):
        response = gateway.post(
            "/api/login",
            # A different account each time: only the per-address hourly cap can stop this.
            json={"email": f"nobody{attempt}@example.org", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"198.51.{attempt // 250}.{attempt % 250 + 1}"},
        )
        statuses.append(response.status_code)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses[:100] == [401] * 100  # the hourly cap (100 failures per address) ...
    assert statuses[100:] == [429] * 15  # ... counts them all as one client
    gateway.post("/api/test/reset-db")  # the next test's logins must not inherit the cap
