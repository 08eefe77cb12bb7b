"""Who the client is and how it connected, as the gateway itself can vouch for it.

The gateway believes ``X-Forwarded-For`` / ``X-Forwarded-Proto`` only from a peer listed in
``trusted_proxies`` (nginx, which *sets* ``X-Forwarded-For $remote_addr``: its last hop is the
client nginx saw). From anyone else they are the client's own words and count for nothing: the
client is the TCP peer.

Run the gateway with ``uvicorn --no-proxy-headers`` (the image does): uvicorn's own proxy
handling would otherwise replace the peer with an address taken from a client-sent header
before the gateway sees it (by default it believes any loopback peer, i.e. every local client).
When the gateway finds that happened (no trusted proxy configured, yet the "peer" is one of the
header's own addresses), it vouches for no client address at all: it forwards none, and identity
counts the request against the gateway's own address, so rotating the header gains nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from starlette.types import Scope

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ClientView:
    """The client address the gateway vouches for (``None``: none) and the scheme it used."""

    address: str | None
    scheme: str


@lru_cache(maxsize=32)
def _networks(trusted: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(value: str) -> str | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def is_trusted(peer: str | None, trusted: Sequence[str]) -> bool:
    """True when ``peer`` is inside one of the ``trusted`` networks."""
    address = _address(peer or "")
    if address is None or not trusted:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(trusted)))


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers", []) if k == name]


def client_view(scope: Scope, trusted: Sequence[str]) -> ClientView:
    """The client and scheme of this request (see the module docstring)."""
    client = scope.get("client")
    peer: str | None = client[0] if client else None
    forwarded_for = [
        hop.strip()
        for value in _header_values(scope, b"x-forwarded-for")
        for hop in value.split(",")
    ]
    forwarded_proto = _header_values(scope, b"x-forwarded-proto")
    if is_trusted(peer, trusted):
        last_hop = _address(forwarded_for[-1]) if forwarded_for else None
        proto = forwarded_proto[-1].split(",")[-1].strip().lower() if forwarded_proto else ""
        return ClientView(
            address=last_hop or peer,
            scheme=proto if proto in ("http", "https") else str(scope.get("scheme", "http")),
        )
    if forwarded_for or forwarded_proto:
        # Client-sent headers. If uvicorn applied them, scope["client"]/["scheme"] came from them.
        hops = {_address(hop) for hop in forwarded_for}
        spoofed = peer is None or _address(peer) in hops
        return ClientView(address=None if spoofed else peer, scheme="http")
    return ClientView(address=peer, scheme=str(scope.get("scheme", "http")))
