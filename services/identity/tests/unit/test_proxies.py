"""Which forwarded headers are believed."""

from __future__ import annotations

from starlette.requests import Request

from clinic_identity.proxies import client_ip, request_is_https

TRUSTED = ["127.0.0.1", "10.0.0.0/8"]


def _request(peer: str, headers: dict[str, str], scheme: str = "http") -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/api/login",
            "scheme": scheme,
            "server": ("identity", 8001),
            "client": (peer, 40000),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "query_string": b"",
        }
    )


def test_first_hop_from_a_trusted_proxy() -> None:
    request = _request("10.1.2.3", {"X-Forwarded-For": "203.0.113.7, 10.1.2.3"})
    assert client_ip(request, TRUSTED) == "203.0.113.7"


def test_forwarded_header_from_anyone_else_is_ignored() -> None:
    request = _request("198.51.100.9", {"X-Forwarded-For": "203.0.113.7"})
    assert client_ip(request, TRUSTED) == "198.51.100.9"


def test_garbage_last_hop_falls_back_to_the_peer() -> None:
    request = _request("127.0.0.1", {"X-Forwarded-For": "1.2.3.4, <script>"})
    assert client_ip(request, TRUSTED) == "127.0.0.1"


def test_hops_a_client_wrote_before_the_trusted_one_count_for_nothing() -> None:
    # A client sent "X-Forwarded-For: 6.6.6.6"; a proxy that appends would pass it on.
    request = _request("127.0.0.1", {"X-Forwarded-For": "6.6.6.6, 203.0.113.7"})
    assert client_ip(request, TRUSTED) == "203.0.113.7"


def test_https_directly_or_from_a_trusted_proxy_only() -> None:
    assert request_is_https(_request("198.51.100.9", {}, scheme="https"), TRUSTED)
    assert request_is_https(_request("127.0.0.1", {"X-Forwarded-Proto": "https"}), TRUSTED)
    assert not request_is_https(_request("198.51.100.9", {"X-Forwarded-Proto": "https"}), TRUSTED)
    assert not request_is_https(_request("127.0.0.1", {}), TRUSTED)
