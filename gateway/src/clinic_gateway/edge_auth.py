"""The auth edge: verify the caller's access token before any request reaches a service."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from clinic_shared.auth import InvalidTokenError, JwtVerifier, KeysUnavailableError, Principal
from clinic_shared.auth.dependencies import keys_unavailable, unauthorized

log = logging.getLogger("clinic.gateway.auth")


class VerifiedTokenCache:
    """A bounded LRU of tokens already verified, each kept until min(exp, verified + ttl)."""

    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def get(self, token: str) -> Principal | None:
        """The cached principal of a still-valid token, else None."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        principal, valid_until = entry
        if self._clock() >= valid_until:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return principal

    def put(self, token: str, principal: Principal) -> None:
        """Remember a token that just passed verification."""
        if self._ttl <= 0:
            return
        self._entries[token] = (principal, min(principal.expires_at, self._clock() + self._ttl))
        self._entries.move_to_end(token)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


class EdgeAuthenticator:
    """Checks access tokens with the shared verifier (identity's JWKS), remembering good ones."""

    def __init__(self, verifier: JwtVerifier, cache: VerifiedTokenCache) -> None:
        self._verifier = verifier
        self._cache = cache

    @property
    def verifier(self) -> JwtVerifier:
        """The shared verifier (services use the same one through ``app.state.verifier``)."""
        return self._verifier

    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller behind ``authorization``, or a 401 problem."""
        token = bearer_token(authorization)
        if token is None:
            raise unauthorized()
        principal = self._cache.get(token)
        if principal is not None:
            return principal
        try:
            principal = await self._verifier.averify(token)
        except InvalidTokenError as exc:
            log.info("rejected access token at the edge: %s", exc)
            raise unauthorized("The access token is invalid or expired.") from exc
        except KeysUnavailableError as exc:
            raise keys_unavailable(exc) from exc
        self._cache.put(token, principal)
        return principal
