"""Answer an unhandled error as problem+json *inside* the app, so the connection survives it.

Starlette renders an unhandled exception in ``ServerErrorMiddleware`` and then re-raises it;
uvicorn, seeing the exception, closes the keep-alive connection after the 500. A client that
pooled that connection (the gateway's aiohttp pool) may already have picked it for its next
request, which then fails with "server disconnected" (a 502 for a request the service never
saw). This middleware sits innermost (just outside the router), turns the exception into the
app's own ``Exception`` handler's answer (``clinic_shared.problems``: 500 problem+json, trace
logged with the request id; a database outage stays 503) and returns normally: nothing
re-raises to uvicorn, the connection stays open.

If the response had already started (a streamed body broke off), nothing valid can be sent any
more: the exception is re-raised and the connection is dropped, as it must be.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("clinic.errors")


class UnhandledErrorMiddleware:
    """Render exceptions that no handler took as the app's 500 answer, without re-raising."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            handler = getattr(scope.get("app"), "exception_handlers", {}).get(Exception)
            if started or handler is None:
                raise
            response = await handler(Request(scope, receive), exc)
            await response(scope, receive, send)
