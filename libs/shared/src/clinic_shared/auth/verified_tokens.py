"""A bounded memory of access tokens already verified, so a busy caller is not re-checked.

Verifying an RS256 token costs a public-key operation and PyJWT's claim checks on every
request; an SPA sends the same token for minutes. A token's string is the key, so a changed
byte misses; an entry lives until the token expires or ``ttl`` seconds pass, whichever is
first, so a key withdrawn from identity's JWKS stops being honoured within ``ttl``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from clinic_shared.auth.verifier import Principal


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
