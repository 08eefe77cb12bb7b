"""JwksCache with a hand-written fake JWKS endpoint and a fake clock."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from clinic_shared.app import verifier_from_settings
from clinic_shared.auth import JwksCache, KeysUnavailableError, http_jwks_fetcher
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.keys import TestKey, TokenFactory

TTL = 300.0
MIN_REFETCH = 5.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def at(self, seconds_after_start: float) -> None:
        self.now = 1000.0 + seconds_after_start


class FakeJwksEndpoint:
    """Publishes whatever keys the test says; can be made to fail."""

    def __init__(self, *keys: TestKey) -> None:
        self.keys = list(keys)
        self.calls = 0
        self.failing = False
        self.document: Any = None

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.failing:
            raise ConnectionError("identity is down")
        if self.document is not None:
            return self.document  # type: ignore[no-any-return]
        return {"keys": [key.jwk() for key in self.keys]}


@pytest.fixture(scope="module")
def key_a() -> TestKey:
    return TestKey.generate("key-a")


@pytest.fixture(scope="module")
def key_b() -> TestKey:
    return TestKey.generate("key-b")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _cache(endpoint: FakeJwksEndpoint, clock: FakeClock) -> JwksCache:
    return JwksCache(endpoint, ttl=TTL, min_refetch_interval=MIN_REFETCH, clock=clock)


def _unavailable(cache: JwksCache, kid: str) -> bool:
    """True when ``get`` says the keys cannot be had (503), rather than "no such key" (401)."""
    try:
        cache.get(kid)
    except KeysUnavailableError:
        return True
    return False


def _same_key(found: Any, key: TestKey) -> bool:
    return (
        isinstance(found, rsa.RSAPublicKey)
        and found.public_numbers() == key.private_key.public_key().public_numbers()
    )


def test_keys_are_cached_for_the_ttl(key_a: TestKey, clock: FakeClock) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)

    assert _same_key(cache.get("key-a"), key_a)
    clock.at(TTL - 1)
    assert _same_key(cache.get("key-a"), key_a)
    assert endpoint.calls == 1

    clock.at(TTL)
    assert _same_key(cache.get("key-a"), key_a)
    assert endpoint.calls == 2


def test_unknown_kid_refetches_at_most_every_min_interval(key_a: TestKey, clock: FakeClock) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")

    for second in (0, 1, 2, 4.9):
        clock.at(second)
        assert cache.get(f"forged-{second}") is None
    assert endpoint.calls == 1

    clock.at(MIN_REFETCH)
    assert cache.get("forged") is None
    assert endpoint.calls == 2
    clock.at(MIN_REFETCH + 4)
    assert cache.get("forged-again") is None
    assert endpoint.calls == 2
    assert _same_key(cache.get("key-a"), key_a)  # known kids never wait


def test_a_token_arriving_during_the_first_fetch_waits_for_it(key_a: TestKey) -> None:
    """Requests come together after start-up: none is refused while the keys are on the way."""
    release = threading.Event()
    fetching = threading.Event()
    endpoint = FakeJwksEndpoint(key_a)

    def slow_endpoint() -> dict[str, Any]:
        fetching.set()
        release.wait(5)
        return endpoint()

    cache = JwksCache(slow_endpoint, ttl=TTL, min_refetch_interval=MIN_REFETCH)
    found: dict[str, Any] = {}
    first = threading.Thread(target=lambda: found.update(first=cache.get("key-a")))
    first.start()
    assert fetching.wait(5)
    assert cache.needs_fetch("key-a")  # the fetch in flight: wait for it
    second = threading.Thread(target=lambda: found.update(second=cache.get("key-a")))
    second.start()
    release.set()
    first.join(5)
    second.join(5)

    assert _same_key(found["first"], key_a)
    assert _same_key(found["second"], key_a)
    assert endpoint.calls == 1  # the waiting caller found the key, it did not fetch again


def test_a_token_arriving_while_expired_keys_are_refetched_waits_for_them(
    key_a: TestKey, clock: FakeClock
) -> None:
    """Every five minutes the keys expire: the requests that meet the refetch in flight wait
    for it, they are not told "unknown signing key" (a 401 that signed users out in the
    browser tests)."""
    release = threading.Event()
    fetching = threading.Event()
    endpoint = FakeJwksEndpoint(key_a)
    slow = [False]

    def sometimes_slow_endpoint() -> dict[str, Any]:
        if slow[0]:
            fetching.set()
            release.wait(5)
        return endpoint()

    cache = JwksCache(sometimes_slow_endpoint, ttl=TTL, min_refetch_interval=MIN_REFETCH,
                      clock=clock)  # fmt: skip
    assert _same_key(cache.get("key-a"), key_a)
    clock.at(TTL)
    slow[0] = True
    found: dict[str, Any] = {}
    first = threading.Thread(target=lambda: found.update(first=cache.get("key-a")))
    first.start()
    assert fetching.wait(5)
    assert cache.needs_fetch("key-a")  # the refetch in flight: wait for it
    second = threading.Thread(target=lambda: found.update(second=cache.get("key-a")))
    second.start()
    release.set()
    first.join(5)
    second.join(5)

    assert _same_key(found["first"], key_a)
    assert _same_key(found["second"], key_a)
    assert endpoint.calls == 2


def test_newly_published_key_is_accepted_without_restart(
    key_a: TestKey, key_b: TestKey, clock: FakeClock
) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")

    endpoint.keys.append(key_b)  # identity rotates: publishes the next key
    clock.at(MIN_REFETCH)

    assert _same_key(cache.get("key-b"), key_b)
    assert _same_key(cache.get("key-a"), key_a)
    assert endpoint.calls == 2


def test_withdrawn_key_is_refused_after_the_ttl(
    key_a: TestKey, key_b: TestKey, clock: FakeClock
) -> None:
    endpoint = FakeJwksEndpoint(key_a, key_b)
    cache = _cache(endpoint, clock)
    cache.get("key-a")

    endpoint.keys.remove(key_a)
    clock.at(TTL - 1)
    assert _same_key(cache.get("key-a"), key_a)

    clock.at(TTL)
    assert cache.get("key-a") is None
    assert _same_key(cache.get("key-b"), key_b)


def test_fetch_failure_keeps_old_keys_until_the_ttl(key_a: TestKey, clock: FakeClock) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")
    endpoint.failing = True

    # Unknown kids keep asking while identity is down: the known key must survive that.
    for second in range(10, int(TTL), 3):
        clock.at(second)
        assert _unavailable(cache, f"forged-{second}")
        assert _same_key(cache.get("key-a"), key_a), f"key lost at t={second}"
    attempts_while_down = endpoint.calls - 1
    assert attempts_while_down <= (TTL - 10) / MIN_REFETCH + 1

    clock.at(TTL)
    assert _unavailable(cache, "key-a")


def test_one_failed_fetch_does_not_cut_the_keys_life_short(
    key_a: TestKey, clock: FakeClock
) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")
    endpoint.failing = True

    clock.at(10)
    assert _unavailable(cache, "forged")  # refetch fails: unknowable, not unknown
    clock.at(30)
    assert _same_key(cache.get("key-a"), key_a)
    clock.at(TTL - 1)
    assert _same_key(cache.get("key-a"), key_a)


def test_fetch_failure_at_expiry_retries_at_most_every_min_interval(
    key_a: TestKey, clock: FakeClock
) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")
    endpoint.failing = True

    clock.at(TTL)
    assert _unavailable(cache, "key-a")
    clock.at(TTL + 1)
    assert _unavailable(cache, "key-a")
    assert endpoint.calls == 2

    endpoint.failing = False  # identity is back
    clock.at(TTL + MIN_REFETCH)
    assert _same_key(cache.get("key-a"), key_a)
    assert endpoint.calls == 3


def test_first_fetch_failing_then_recovering(key_a: TestKey, clock: FakeClock) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    endpoint.failing = True
    cache = _cache(endpoint, clock)

    assert _unavailable(cache, "key-a")
    endpoint.failing = False
    clock.at(1)
    assert _unavailable(cache, "key-a")  # rate limited: still not known
    clock.at(MIN_REFETCH)
    assert _same_key(cache.get("key-a"), key_a)


def test_unusable_keys_in_the_document_are_skipped(
    key_a: TestKey, key_b: TestKey, clock: FakeClock
) -> None:
    endpoint = FakeJwksEndpoint()
    endpoint.document = {
        "keys": [
            {"kty": "RSA", "kid": "broken", "n": "!!!", "e": "AQAB"},
            {"kty": "RSA", "kid": "no-modulus", "e": "AQAB"},
            {"kty": "EC", "kid": "ec-key", "crv": "P-256", "x": "x", "y": "y"},
            {"kty": "RSA", "n": key_b.jwk()["n"], "e": "AQAB"},  # no kid
            key_a.jwk(),
        ]
    }
    cache = _cache(endpoint, clock)

    assert _same_key(cache.get("key-a"), key_a)
    assert cache.get("broken") is None
    assert cache.get("no-modulus") is None


@pytest.mark.parametrize("document", [[], "not json object", {"keys": "nope"}, {"no": "keys"}])
def test_malformed_document_counts_as_a_failed_fetch(
    key_a: TestKey, clock: FakeClock, document: Any
) -> None:
    endpoint = FakeJwksEndpoint(key_a)
    cache = _cache(endpoint, clock)
    cache.get("key-a")

    endpoint.document = document
    clock.at(MIN_REFETCH)
    assert _unavailable(cache, "other")
    assert _same_key(cache.get("key-a"), key_a)


@pytest.fixture
def jwks_server(key_a: TestKey) -> Iterator[str]:
    body = json.dumps({"keys": [key_a.jwk()]}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = 200 if self.path == "/.well-known/jwks.json" else 404
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body if status == 200 else b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_fetcher_reads_the_document(jwks_server: str, key_a: TestKey) -> None:
    document = http_jwks_fetcher(f"{jwks_server}/.well-known/jwks.json")()

    assert document == {"keys": [key_a.jwk()]}
    with pytest.raises(Exception, match="404"):
        http_jwks_fetcher(f"{jwks_server}/missing")()


def test_http_fetcher_asks_the_next_listed_url_when_one_fails(
    jwks_server: str, key_a: TestKey
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/.well-known/jwks.json"
    fetch = http_jwks_fetcher(
        f"{closed}, {jwks_server}/missing,{jwks_server}/.well-known/jwks.json"
    )

    assert fetch() == {"keys": [key_a.jwk()]}
    assert fetch() == {"keys": [key_a.jwk()]}  # starting with the one that answered
    with pytest.raises(Exception, match="404"):
        http_jwks_fetcher(f"{closed},{jwks_server}/missing")()


def test_verifier_from_settings_fetches_identitys_jwks(jwks_server: str, key_a: TestKey) -> None:
    settings = ServiceSettings(
        database_url="sqlite://",
        jwks_url=f"{jwks_server}/.well-known/jwks.json",
        jwt_issuer="iss-x",
        jwt_audience="aud-y",
    )
    token = TokenFactory(key=key_a, issuer="iss-x", audience="aud-y")(sub="9")

    principal = verifier_from_settings(settings).verify(token)

    assert principal.user_id == "9"


def test_an_unknown_kid_while_identity_answers_is_unknown_not_unavailable(
    key_a: TestKey, clock: FakeClock
) -> None:
    cache = _cache(FakeJwksEndpoint(key_a), clock)

    assert cache.get("forged") is None  # identity answered: the key does not exist -> 401
