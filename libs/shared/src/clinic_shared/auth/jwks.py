"""A JWKS cache: keys by ``kid``, refreshed on a timer and (rate-limited) on an unknown ``kid``."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import InvalidKeyError

JwksFetcher = Callable[[], dict[str, Any]]
log = logging.getLogger("clinic.auth")


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(public_key: rsa.RSAPublicKey, kid: str) -> dict[str, Any]:
    """The RFC 7517 JWK of an RSA public key, for RS256 signatures."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": kid,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
    }


def http_jwks_fetcher(url: str, timeout: float = 3.0) -> JwksFetcher:
    """Fetch the JWKS document from ``url`` (identity's ``/.well-known/jwks.json``).

    ``url`` may list several, separated by commas (each replica of identity when nothing
    balances them, as ``stack.py --replicas`` runs it): they are asked in turn, starting after
    the last one that answered, until one does.
    """
    urls = [part.strip() for part in url.split(",") if part.strip()]
    start = [0]

    def fetch() -> dict[str, Any]:
        failure: Exception | None = None
        for step in range(len(urls)):
            index = (start[0] + step) % len(urls)
            try:
                response = httpx.get(urls[index], timeout=timeout)
                response.raise_for_status()
                document: dict[str, Any] = response.json()
            except httpx.HTTPError as exc:
                failure = exc
                continue
            start[0] = index
            return document
        assert failure is not None  # at least one URL was asked
        raise failure

    return fetch


class KeysUnavailableError(Exception):
    """Identity's keys cannot be had right now: the cache is stale or lacks the key and the
    last fetch failed. Not the token's fault, so callers answer 503, never 401 (a 401 would
    sign every user of the SPA out during an identity outage)."""


class JwksCache:
    """Public keys by ``kid``.

    Keys are kept ``ttl`` seconds, so a withdrawn key stops being accepted after that; an
    unknown ``kid`` triggers a refetch at most every ``min_refetch_interval`` seconds, so a
    newly published key works at once while a flood of forged ``kid``s cannot hammer identity.
    """

    def __init__(
        self,
        fetch: JwksFetcher,
        *,
        ttl: float = 300.0,
        min_refetch_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._min_refetch_interval = min_refetch_interval
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._loaded_at: float | None = None  # last successful fetch: keys expire ttl after it
        self._attempted_at: float | None = None  # last fetch, ok or not: paces the next one
        self._last_fetch_failed = False
        self._lock = threading.Lock()

    def needs_fetch(self, kid: str) -> bool:
        """Whether ``get(kid)`` would go to the network (lets async callers use a thread)."""
        # A fetch in flight may bring the key or renew expired ones: wait for it rather than
        # refuse the token (the first requests after start-up arrive together and all need
        # the first fetch; every ttl, the requests that meet the refetch need it too).
        now = self._clock()
        if self._lock.locked() and (kid not in self._keys or self._expired(now)):
            return True
        return self._due(kid, now)

    def get(self, kid: str) -> Any | None:
        """The public key for ``kid``, or None when identity does not publish it.

        Raises :class:`KeysUnavailableError` when the answer is unknowable: the keys expired,
        or ``kid`` is not among them, and identity could not be asked.
        """
        if self.needs_fetch(kid):
            self.refresh(kid)
        expired = self._expired(self._clock())
        if self._last_fetch_failed and (expired or kid not in self._keys):
            raise KeysUnavailableError(f"identity's keys are unavailable (asked for {kid!r})")
        if expired:
            return None
        return self._keys.get(kid)

    def refresh(self, kid: str | None = None) -> None:
        """Fetch the document now; on failure keep the old keys until their ttl runs out.

        Asked for ``kid``, skip the fetch when another one brought it while this caller waited
        for the lock, or when a fetch was tried too recently.
        """
        with self._lock:
            now = self._clock()
            if kid is not None and not self._due(kid, now):
                return
            self._attempted_at = now
            try:
                keys = _parse_jwks(self._fetch())
            except Exception as exc:
                log.warning("JWKS fetch failed, keeping cached keys: %r", exc)
                self._last_fetch_failed = True
                return
            self._keys = keys
            self._loaded_at = now
            self._last_fetch_failed = False

    def _due(self, kid: str, now: float) -> bool:
        if self._attempted_at is not None and now - self._attempted_at < self._min_refetch_interval:
            return False
        return self._expired(now) or kid not in self._keys

    def _expired(self, now: float) -> bool:
        return self._loaded_at is None or now - self._loaded_at >= self._ttl


def _parse_jwks(document: Any) -> dict[str, Any]:
    """The usable RSA keys of a JWKS document by ``kid`` (an unusable key is skipped)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, Any] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or not jwk.get("kid"):
            continue
        try:
            keys[jwk["kid"]] = RSAAlgorithm.from_jwk(jwk)
        except (InvalidKeyError, ValueError, TypeError):
            log.warning("skipping unusable JWKS key %r", jwk.get("kid"))
    return keys
