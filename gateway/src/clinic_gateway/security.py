"""Security headers on every response, with a CSP that pages may widen for their own scripts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_gateway.forwarding import client_view


def content_security_policy(
    script_sources: Iterable[str] = (),
    style_sources: Iterable[str] = (),
    img_sources: Iterable[str] = (),
) -> str:
    """The gateway's CSP: same origin only, plus the given extra sources."""
    scripts = " ".join(["'self'", *script_sources])
    # Tailwind and FullCalendar set inline styles; scripts stay strict.
    styles = " ".join(["'self'", "'unsafe-inline'", *style_sources])
    images = " ".join(["'self'", "data:", *img_sources])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        f"style-src {styles}; "
        f"img-src {images}; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


DEFAULT_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", content_security_policy().encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Add the security headers a response does not set itself.

    ``Strict-Transport-Security`` goes only on answers to requests that came over HTTPS: the
    gateway's own TLS, or a trusted proxy's ``X-Forwarded-Proto: https`` (browsers ignore it
    over plain HTTP, and sending it there would only mislead).
    """

    def __init__(
        self, app: ASGIApp, trusted_proxies: Sequence[str] = (), hsts_max_age: int = 31_536_000
    ) -> None:
        self.app = app
        self.trusted_proxies = tuple(trusted_proxies)
        self.hsts = (
            (b"strict-transport-security", f"max-age={hsts_max_age}; includeSubDomains".encode())
            if hsts_max_age
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = DEFAULT_HEADERS
        if self.hsts and client_view(scope, self.trusted_proxies).scheme == "https":
            extra = (*DEFAULT_HEADERS, self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
