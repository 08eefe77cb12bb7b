"""Which headers cross the gateway: hop-by-hop ones never, the gateway's own always fresh."""

from __future__ import annotations

from collections.abc import Iterable

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# The gateway states these itself (a client's own values must not reach a service), or has
# consumed them already (uvicorn answered the client's ``Expect: 100-continue``).
_SET_BY_GATEWAY = frozenset(
    {"host", "expect", "x-request-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}
)
# uvicorn adds its own; passing the service's too would duplicate them.
_RESPONSE_DROP = frozenset({"server", "date"})


def _connection_tokens(pairs: Iterable[tuple[str, str]]) -> set[str]:
    tokens: set[str] = set()
    for name, value in pairs:
        if name == "connection":
            tokens.update(t.strip().lower() for t in value.split(",") if t.strip())
    return tokens


def upstream_request_headers(
    raw: Iterable[tuple[bytes, bytes]],
    *,
    client_host: str | None,
    scheme: str,
    request_id: str | None,
) -> list[tuple[str, str]]:
    """The client's headers minus hop-by-hop ones, plus request id and X-Forwarded-*."""
    pairs = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw]
    drop = HOP_BY_HOP | _SET_BY_GATEWAY | _connection_tokens(pairs)
    headers = [(k, v) for k, v in pairs if k not in drop]
    host = next((v for k, v in pairs if k == "host"), None)
    if client_host:
        # The client the gateway vouches for (clinic_gateway.forwarding); whatever the client
        # sent was dropped above, so this one address is the whole header.
        headers.append(("x-forwarded-for", client_host))
    headers.append(("x-forwarded-proto", scheme))
    if host:
        headers.append(("x-forwarded-host", host))
    if request_id:
        headers.append(("x-request-id", request_id))
    return headers


def downstream_response_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The service's response headers minus hop-by-hop ones (every Set-Cookie kept)."""
    pairs = [(k.lower(), v) for k, v in raw]
    tokens = _connection_tokens((k.decode("latin-1"), v.decode("latin-1")) for k, v in pairs)
    drop = HOP_BY_HOP | _RESPONSE_DROP | tokens
    return [(k, v) for k, v in pairs if k.decode("latin-1") not in drop]
