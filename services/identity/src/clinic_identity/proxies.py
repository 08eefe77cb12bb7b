"""Who the client is and how it connected, believing forwarded headers only from trusted proxies."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from fastapi import Request

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def _networks(trusted: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(peer: str | None, trusted: Sequence[str]) -> bool:
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(trusted)))


def client_ip(request: Request, trusted: Sequence[str]) -> str:
    """The client's address as the trusted proxy (the gateway) states it, else the peer.

    Proxies append, so the header is read from the right: the first hop that is not itself a
    trusted proxy is the client. Anything left of it was written by the client and counts for
    nothing (the gateway sends one address only, having dropped whatever the client sent).
    """
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and _is_trusted(peer, trusted):
        for hop in reversed([h.strip() for h in forwarded.split(",")]):
            try:
                address = str(ipaddress.ip_address(hop))
            except ValueError:
                break  # garbage from a trusted hop: believe nothing further left
            if not _is_trusted(address, trusted):
                return address
    return peer or "unknown"


def request_is_https(request: Request, trusted: Sequence[str]) -> bool:
    """True when the client connected over HTTPS (directly, or as a trusted proxy says)."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    proto = request.headers.get("x-forwarded-proto", "")
    return _is_trusted(peer, trusted) and proto.split(",")[0].strip().lower() == "https"
