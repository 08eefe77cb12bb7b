"""``/metrics`` and ``/readyz`` are for the cluster's scraper, not the internet.

They answer only with ``Authorization: Bearer <GATEWAY_OPS_TOKEN>`` (compared in constant time):
401 without it or with a wrong one, 404 when no token is configured (then nobody may read them).
``/healthz`` stays public: it says only that the process answers.
"""

from __future__ import annotations

import hmac

from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from clinic_shared.problems import problem_response

GUARDED_PATHS = frozenset({"/metrics", "/readyz"})


class OpsGuardMiddleware:
    """Refuse the guarded ops routes to callers without the scrape token."""

    def __init__(self, app: ASGIApp, token: SecretStr | None) -> None:
        self.app = app
        self.expected = f"Bearer {token.get_secret_value()}".encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http" or scope["path"] not in GUARDED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.expected is None:
            response = problem_response(404, f"No resource at {scope['path']}.")
        else:
            given = dict(scope["headers"]).get(b"authorization", b"")
            if hmac.compare_digest(given, self.expected):
                await self.app(scope, receive, send)
                return
            response = problem_response(
                401,
                "This operations endpoint needs the scrape token.",
                headers={"WWW-Authenticate": 'Bearer realm="ops"'},
            )
        await response(scope, receive, send)
