"""Access-token verification: RS256 only, every required claim, key chosen by ``kid``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread
import jwt

from clinic_shared.auth.jwks import JwksCache

if TYPE_CHECKING:
    from clinic_shared.auth.verified_tokens import VerifiedTokenCache

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


class InvalidTokenError(Exception):
    """The bearer token cannot be trusted; the message says why (for logs, not clients)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the access token says."""

    user_id: str
    roles: tuple[str, ...]
    name: str
    session_id: str | None
    token_id: str | None
    expires_at: int

    def has_any_role(self, *roles: str) -> bool:
        """True when the caller holds at least one of ``roles``."""
        return any(role in self.roles for role in roles)


class JwtVerifier:
    """Verifies identity's access tokens against its published keys.

    With ``remembered``, a token that passed is not checked again while the cache keeps it.
    """

    def __init__(
        self,
        keys: JwksCache,
        *,
        issuer: str,
        audience: str,
        leeway: float = 5.0,
        remembered: VerifiedTokenCache | None = None,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.remembered = remembered

    def verify(self, token: str) -> Principal:
        """Return the token's principal or raise ``InvalidTokenError``."""
        known = self.remembered.get(token) if self.remembered is not None else None
        if known is not None:
            return known
        kid = self._kid(token)
        return self._remember(token, self._decode(token, self.keys.get(kid), kid))

    async def averify(self, token: str) -> Principal:
        """``verify`` for async code: any JWKS fetch happens in a worker thread."""
        known = self.remembered.get(token) if self.remembered is not None else None
        if known is not None:
            return known
        kid = self._kid(token)
        if self.keys.needs_fetch(kid):
            await anyio.to_thread.run_sync(self.keys.refresh, kid)
        return self._remember(token, self._decode(token, self.keys.get(kid), kid))

    def _remember(self, token: str, principal: Principal) -> Principal:
        if self.remembered is not None:
            self.remembered.put(token, principal)
        return principal

    def _kid(self, token: str) -> str:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(f"malformed token: {exc}") from exc
        if header.get("alg") != "RS256":
            raise InvalidTokenError(f"algorithm {header.get('alg')!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenError("token has no kid")
        return kid

    def _decode(self, token: str, key: object | None, kid: str) -> Principal:
        if key is None:
            raise InvalidTokenError(f"unknown signing key {kid!r}")
        try:
            claims = jwt.decode(
                token,
                key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from exc
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidTokenError("roles claim is not a list of strings")
        return Principal(
            user_id=str(claims["sub"]),
            roles=tuple(roles),
            name=str(claims.get("name", "")),
            session_id=claims.get("sid"),
            token_id=claims.get("jti"),
            expires_at=int(claims["exp"]),
        )
