"""Access tokens: short-lived RS256 JWTs carrying the user's roles and refresh session id."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import jwt

from clinic_identity.keys import SigningKey


@dataclass(frozen=True)
class AccessToken:
    """A signed token and how many seconds it lives."""

    token: str
    expires_in: int


@dataclass(frozen=True)
class TokenIssuer:
    """Signs access tokens for one issuer and audience."""

    key: SigningKey
    issuer: str
    audience: str
    lifetime_seconds: int

    def issue(
        self, *, user_id: str, session_id: str, roles: Sequence[str], name: str, now: int
    ) -> AccessToken:
        """A token for ``user_id`` in refresh session ``session_id``, issued at ``now``."""
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": user_id,
            "iat": now,
            "nbf": now,
            "exp": now + self.lifetime_seconds,
            "jti": uuid.uuid4().hex,
            "sid": session_id,
            "roles": list(roles),
            "name": name,
        }
        token = jwt.encode(
            claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid}
        )
        return AccessToken(token=token, expires_in=self.lifetime_seconds)
