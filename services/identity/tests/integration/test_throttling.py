"""Login throttling in the real Redis: per account, per client IP, reset by success."""

from __future__ import annotations

import pytest

from clinic_identity.throttle import (
    LoginThrottle,
    LoginThrottledError,
    RedisThrottleStore,
    ThrottlePolicy,
)

pytestmark = pytest.mark.integration


def test_sixth_wrong_attempt_is_429_with_retry_after(api) -> None:
    for _ in range(5):
        assert api.login("admin@demo.clinic", "wrong-password").status_code == 401
    response = api.login("admin@demo.clinic", "wrong-password")
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 30
    assert response.json()["status"] == 429
    # Even the right password waits: otherwise the lock would not slow guessing at all.
    assert api.login("admin@demo.clinic").status_code == 429
    # Other accounts are not affected.
    assert api.login("fisio@demo.clinic").status_code == 200


def test_unknown_emails_are_throttled_like_real_ones(api) -> None:
    for _ in range(5):
        assert api.login("ghost@demo.clinic", "whatever1").status_code == 401
    assert api.login("ghost@demo.clinic", "whatever1").status_code == 429


def test_success_resets_the_account_counter(api) -> None:
    for _ in range(4):
        assert api.login("admin@demo.clinic", "wrong-password").status_code == 401
    assert api.login("admin@demo.clinic").status_code == 200
    for _ in range(5):
        assert api.login("admin@demo.clinic", "wrong-password").status_code == 401
    assert api.login("admin@demo.clinic", "wrong-password").status_code == 429


def test_hourly_cap_per_client_ip_from_the_trusted_proxy(
    client_factory, settings_factory, api_for
) -> None:
    settings = settings_factory(login_hourly_failure_limit=4)
    proxy = api_for(client_factory(settings, peer="127.0.0.1"))

    def attempt(email: str, ip: str) -> int:
        return proxy.login(email, "wrong-password", headers={"X-Forwarded-For": ip}).status_code

    assert [attempt(f"user{i}@demo.clinic", "203.0.113.1") for i in range(4)] == [401] * 4
    assert attempt("admin@demo.clinic", "203.0.113.1") == 429
    assert attempt("admin@demo.clinic", "203.0.113.2") == 401


def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    client_factory, settings_factory, api_for
) -> None:
    settings = settings_factory(login_hourly_failure_limit=3)
    direct = api_for(client_factory(settings, peer="198.51.100.7"))
    for i in range(3):
        headers = {"X-Forwarded-For": f"203.0.113.{i + 10}"}  # spoofed, one per attempt
        assert direct.login(f"u{i}@demo.clinic", "wrong-pw1", headers=headers).status_code == 401
    assert direct.login("x@demo.clinic", "wrong-pw1").status_code == 429


def test_delay_grows_in_redis_with_a_fake_clock(redis_client, unique_name) -> None:
    now = [1_000_000.0]
    prefix = unique_name("identity-throttle")
    store = RedisThrottleStore(redis_client, prefix, max_delay=900)
    throttle = LoginThrottle(store, ThrottlePolicy(), clock=lambda: now[0])
    waits = []
    for _ in range(5):
        throttle.record_failure("ana@demo.clinic", "192.0.2.1")
    for _ in range(3):
        with pytest.raises(LoginThrottledError) as info:
            throttle.check("ana@demo.clinic", "192.0.2.1")
        waits.append(info.value.retry_after)
        now[0] += info.value.retry_after
        throttle.check("ana@demo.clinic", "192.0.2.1")
        throttle.record_failure("ana@demo.clinic", "192.0.2.1")
    assert waits == [30, 60, 120]
    throttle.record_success("ana@demo.clinic")
    throttle.check("ana@demo.clinic", "192.0.2.1")
    store.clear()
    assert list(redis_client.scan_iter(match=f"{prefix}:*")) == []


def test_login_fails_closed_when_redis_is_unreachable(client_factory, settings_factory, api_for):
    api = api_for(client_factory(settings_factory(redis_url="redis://127.0.0.1:1/0")))
    response = api.login("admin@demo.clinic")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
