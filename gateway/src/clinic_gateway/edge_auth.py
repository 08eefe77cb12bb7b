"""The auth edge: verify the caller's access token before any request reaches a service."""

from __future__ import annotations

import logging

from clinic_shared.auth import InvalidTokenError, JwtVerifier, KeysUnavailableError, Principal
from clinic_shared.auth.dependencies import keys_unavailable, unauthorized

log = logging.getLogger("clinic.gateway.auth")


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
    """Checks access tokens with the shared verifier (identity's JWKS; it remembers good ones)."""

    def __init__(self, verifier: JwtVerifier) -> None:
        self._verifier = verifier

    @property
    def verifier(self) -> JwtVerifier:
        """The shared verifier (services use the same one through ``app.state.verifier``)."""
        return self._verifier

    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller behind ``authorization``, or a 401 problem."""
        token = bearer_token(authorization)
        if token is None:
            raise unauthorized()
        try:
            return await self._verifier.averify(token)
        except InvalidTokenError as exc:
            log.info("rejected access token at the edge: %s", exc)
            raise unauthorized("The access token is invalid or expired.") from exc
        except KeysUnavailableError as exc:
            raise keys_unavailable(exc) from exc
