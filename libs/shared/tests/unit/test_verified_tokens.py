"""The memory of verified tokens, and a verifier that uses it."""

from __future__ import annotations

import jwt
import pytest

from clinic_shared.auth import InvalidTokenError, JwksCache, JwtVerifier, Principal
from clinic_shared.auth.verified_tokens import VerifiedTokenCache
from clinic_shared.testing.keys import TestKey, TokenFactory


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


def _verifier(key: TestKey, remembered: VerifiedTokenCache | None) -> tuple[JwtVerifier, dict]:
    published: dict[str, object] = {"keys": [key.jwk()]}
    keys = JwksCache(lambda: dict(published))
    verifier = JwtVerifier(keys, issuer="iss", audience="aud", remembered=remembered)
    return verifier, published


async def test_a_remembered_token_is_not_checked_again_but_a_new_one_is() -> None:
    key = TestKey.generate("k1")
    tokens = TokenFactory(key=key, issuer="iss", audience="aud")
    verifier, _ = _verifier(key, VerifiedTokenCache(ttl=30, max_entries=10))
    first = tokens()
    assert (await verifier.averify(first)).user_id == verifier.verify(first).user_id
    verifier.keys = JwksCache(lambda: {"keys": []})  # the key is withdrawn from the JWKS
    assert (await verifier.averify(first)).roles  # still remembered
    with pytest.raises(InvalidTokenError):
        await verifier.averify(tokens(sub="someone-else"))
    with pytest.raises(InvalidTokenError):
        verifier.verify(first[:-2] + ("AA" if not first.endswith("AA") else "BB"))


def test_without_a_memory_every_call_is_checked() -> None:
    key = TestKey.generate("k1")
    token = TokenFactory(key=key, issuer="iss", audience="aud")()
    verifier, _ = _verifier(key, None)
    verifier.verify(token)
    verifier.keys = JwksCache(lambda: {"keys": []})
    with pytest.raises(InvalidTokenError):
        verifier.verify(token)


def test_a_failed_token_is_not_remembered() -> None:
    key = TestKey.generate("k1")
    remembered = VerifiedTokenCache(ttl=30, max_entries=10)
    verifier, _ = _verifier(key, remembered)
    expired = TokenFactory(key=key, issuer="iss", audience="aud")(exp=1)
    with pytest.raises(InvalidTokenError):
        verifier.verify(expired)
    assert len(remembered) == 0
    assert jwt.get_unverified_header(expired)["kid"] == "k1"
