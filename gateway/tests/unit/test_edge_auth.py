"""The verified-token cache and bearer parsing used at the auth edge."""

from __future__ import annotations

import pytest

from clinic_gateway.edge_auth import VerifiedTokenCache, bearer_token
from clinic_shared.auth import Principal


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _principal(expires_at: int) -> Principal:
    return Principal("1", ("ROLE_ADMIN",), "A", "s", "j", expires_at)


def test_entry_lives_until_the_cache_ttl() -> None:
    clock = FakeClock()
    cache = VerifiedTokenCache(ttl=30, max_entries=10, clock=clock)
    cache.put("t", _principal(int(clock.now) + 900))
    clock.now += 29
    assert cache.get("t") is not None
    clock.now += 2
    assert cache.get("t") is None
    assert len(cache) == 0


def test_entry_never_outlives_the_token() -> None:
    clock = FakeClock()
    cache = VerifiedTokenCache(ttl=300, max_entries=10, clock=clock)
    cache.put("t", _principal(int(clock.now) + 10))
    clock.now += 9
    assert cache.get("t") is not None
    clock.now += 1
    assert cache.get("t") is None


def test_least_recently_used_entry_is_evicted() -> None:
    cache = VerifiedTokenCache(ttl=30, max_entries=2, clock=FakeClock())
    far = 2_000_000
    cache.put("a", _principal(far))
    cache.put("b", _principal(far))
    assert cache.get("a") is not None  # "b" is now the least recently used
    cache.put("c", _principal(far))
    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None


def test_zero_ttl_disables_the_cache() -> None:
    cache = VerifiedTokenCache(ttl=0, max_entries=2, clock=FakeClock())
    cache.put("a", _principal(2_000_000))
    assert cache.get("a") is None


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("Bearer", None),
        ("Bearer ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
