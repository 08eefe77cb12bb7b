"""Which headers cross the gateway, in each direction."""

from __future__ import annotations

from clinic_gateway.proxy_headers import downstream_response_headers, upstream_request_headers


def _raw(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in pairs]


def test_request_keeps_end_to_end_headers_and_states_forwarding_ones() -> None:
    headers = upstream_request_headers(
        _raw(
            ("host", "clinic.example:8000"),
            ("authorization", "Bearer t"),
            ("cookie", "locale=en; clinic_refresh=r"),
            ("content-type", "application/json"),
            ("connection", "keep-alive, X-Internal"),
            ("x-internal", "secret"),
            ("keep-alive", "timeout=5"),
            ("te", "trailers"),
            ("expect", "100-continue"),
            ("upgrade", "h2c"),
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-host", "evil.example"),
            ("x-request-id", "client-chosen"),
        ),
        client_host="203.0.113.9",
        scheme="https",
        request_id="rid-1",
    )
    as_dict = dict(headers)
    assert as_dict["authorization"] == "Bearer t"
    assert as_dict["cookie"] == "locale=en; clinic_refresh=r"
    assert as_dict["content-type"] == "application/json"
    assert as_dict["x-forwarded-for"] == "203.0.113.9"
    assert as_dict["x-forwarded-proto"] == "https"
    assert as_dict["x-forwarded-host"] == "clinic.example:8000"
    assert as_dict["x-request-id"] == "rid-1"
    for dropped in ("host", "connection", "x-internal", "keep-alive", "te", "upgrade", "expect"):
        assert dropped not in as_dict
    assert len([k for k, _ in headers if k == "x-forwarded-for"]) == 1


def test_request_without_client_or_request_id() -> None:
    headers = dict(
        upstream_request_headers(
            _raw(("accept", "*/*")), client_host=None, scheme="http", request_id=None
        )
    )
    assert headers == {"accept": "*/*", "x-forwarded-proto": "http"}


def test_response_keeps_every_set_cookie_and_drops_hop_by_hop() -> None:
    headers = downstream_response_headers(
        _raw(
            ("Content-Type", "application/json"),
            ("Set-Cookie", "a=1; HttpOnly"),
            ("Set-Cookie", "b=2; HttpOnly"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close, X-Hop"),
            ("X-Hop", "1"),
            ("Server", "uvicorn"),
            ("Date", "Thu, 01 Jan 2026 00:00:00 GMT"),
            ("ETag", '"3"'),
        )
    )
    assert headers == [
        (b"content-type", b"application/json"),
        (b"set-cookie", b"a=1; HttpOnly"),
        (b"set-cookie", b"b=2; HttpOnly"),
        (b"etag", b'"3"'),
    ]
