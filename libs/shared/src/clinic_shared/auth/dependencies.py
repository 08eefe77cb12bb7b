"""FastAPI dependencies: ``CurrentUser`` and ``require_roles(...)``.

The app must hold its verifier at ``app.state.verifier``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clinic_shared.auth.jwks import KeysUnavailableError
from clinic_shared.auth.verifier import InvalidTokenError, JwtVerifier, Principal
from clinic_shared.problems import ProblemError

log = logging.getLogger("clinic.auth")
_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/login")
OptionalBearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="clinic"'}


def unauthorized(detail: str = "A valid access token is required.") -> ProblemError:
    """The 401 every rejected token gets (the reason stays in the log)."""
    return ProblemError(401, detail, headers=_CHALLENGE)


def keys_unavailable(exc: KeysUnavailableError) -> ProblemError:
    """The 503 when a token cannot be checked because identity's keys cannot be had."""
    log.warning("token not checked: %s", exc)
    return ProblemError(
        503,
        "Sign-in cannot be checked right now. Try again in a few seconds.",
        headers={"Retry-After": "5"},
    )


# The dependencies here are coroutines on purpose: FastAPI runs a plain ``def`` dependency in
# a worker thread, and on a busy 2-core host each such hop costs more than checking a token.
async def get_current_user(request: Request, credentials: OptionalBearer) -> Principal:
    """The verified caller, or 401 (a JWKS fetch, when one is due, happens in a thread)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    verifier: JwtVerifier = request.app.state.verifier
    try:
        return await verifier.averify(credentials.credentials)
    except InvalidTokenError as exc:
        log.info("rejected access token: %s", exc)
        raise unauthorized("The access token is invalid or expired.") from exc
    except KeysUnavailableError as exc:
        raise keys_unavailable(exc) from exc


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency letting through callers holding any of ``roles`` (403 otherwise)."""

    async def dependency(user: CurrentUser) -> Principal:
        if not user.has_any_role(*roles):
            raise ProblemError(403, "Your role does not allow this action.")
        return user

    return dependency
