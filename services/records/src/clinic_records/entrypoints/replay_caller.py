"""Notes who sends a POST with an ``Idempotency-Key``, for the audit of a replayed answer.

A replay never reaches a route, so no ``ClinicalUser`` dependency names the caller: the shared
idempotency middleware verifies the token but passes the store only the user id. The audit
row records the roles too, so this middleware (outermost, added by ``main.create_app``)
verifies the same token first and notes the principal in ``replay_audit.retrying_caller``,
where the store's claim, run in a worker thread with a copy of this context, reads it. The
verifier remembers tokens it has passed, so the shared middleware's check right after costs
nothing more. A token that does not verify notes nobody: the request is refused as before.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from clinic_records.infrastructure.replay_audit import retrying_caller
from clinic_shared.auth import InvalidTokenError, JwtVerifier, KeysUnavailableError, Principal


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


class NoteRetryingCaller:
    """Puts the verified caller of an idempotent POST in ``retrying_caller`` while it runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        retried = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and _header(scope, b"idempotency-key") is not None
        )
        principal = await self._principal(scope) if retried else None
        if principal is None:
            await self.app(scope, receive, send)
            return
        noted = retrying_caller.set(principal)
        try:
            await self.app(scope, receive, send)
        finally:
            retrying_caller.reset(noted)

    async def _principal(self, scope: Scope) -> Principal | None:
        scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        verifier: JwtVerifier = scope["app"].state.verifier
        try:
            return await verifier.averify(token.strip())
        except (InvalidTokenError, KeysUnavailableError):
            return None  # the shared middleware and the route answer 401 or 503 as usual
