"""create_service_app: problem+json for every error, request ids, health and metrics."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app, redis_check
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.errors import FieldError
from clinic_shared.logs import JsonFormatter
from clinic_shared.problems import PROBLEM_JSON, ProblemError
from clinic_shared.schemas import CamelInput, CamelModel
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER

SECRET_IN_EXCEPTION = "password=hunter2 at db.internal"
endpoint_log = logging.getLogger("tests.shared.endpoints")


class GadgetCreate(CamelInput):
    display_name: str
    unit_price: int


class GadgetPublic(CamelModel):
    id: int
    display_name: str
    unit_price: int


router = APIRouter(prefix="/api/gadgets")


@router.post("", status_code=201)
def create_gadget(body: GadgetCreate) -> GadgetPublic:
    """Create a gadget."""
    endpoint_log.info("creating gadget %s", body.display_name)
    return GadgetPublic(id=1, display_name=body.display_name, unit_price=body.unit_price)


@router.get("/{gadget_id}")
def read_gadget(gadget_id: int) -> GadgetPublic:
    """Read one gadget."""
    endpoint_log.info("reading gadget %s", gadget_id)
    return GadgetPublic(id=gadget_id, display_name="Gear", unit_price=3)


@router.get("/{gadget_id}/async")
async def read_gadget_async(gadget_id: int) -> dict[str, int]:
    """Read one gadget from async code."""
    endpoint_log.info("reading gadget %s asynchronously", gadget_id)
    return {"id": gadget_id}


@router.put("/{gadget_id}")
def replace_gadget(gadget_id: int) -> None:
    """Always conflicts."""
    raise ProblemError(
        409,
        "That name is taken.",
        errors=[{"field": "displayName", "message": "already used"}],
        extra={"currentVersion": 7},
        headers={"Retry-After": "5"},
    )


@router.patch("/{gadget_id}")
def rename_gadget(gadget_id: int) -> None:
    """Always fails a business rule."""
    raise FieldError("displayName", "must not be empty")


@router.delete("/{gadget_id}")
def delete_gadget(gadget_id: int) -> None:
    """Always crashes."""
    raise RuntimeError(SECRET_IN_EXCEPTION)


def _settings() -> ServiceSettings:
    return ServiceSettings(service_name="gadgets", app_env="test", database_url="sqlite://")


def _verifier(jwks: dict[str, Any]) -> JwtVerifier:
    return JwtVerifier(JwksCache(lambda: jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)


@pytest.fixture
def app(test_jwks: dict[str, Any]) -> FastAPI:
    return create_service_app(
        _settings(), title="Gadgets", routers=[router], verifier=_verifier(test_jwks)
    )


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the endpoint and problem loggers write, through the service's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("gadgets"))
    loggers = [endpoint_log, logging.getLogger("clinic.problems")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    return body


# --- problem+json ---------------------------------------------------------------------------


def test_valid_body_uses_camel_case_both_ways(client: TestClient) -> None:
    response = client.post("/api/gadgets", json={"displayName": "  Gear  ", "unitPrice": 3})

    assert response.status_code == 201
    assert response.json() == {"id": 1, "displayName": "Gear", "unitPrice": 3}


def test_unknown_body_field_is_422_naming_it(client: TestClient) -> None:
    response = client.post(
        "/api/gadgets", json={"displayName": "Gear", "unitPrice": 3, "unitPirce": 4}
    )

    body = _assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["unitPirce"]
    assert "unitPirce" in body["detail"]


def test_snake_case_field_on_the_wire_is_not_a_silent_alias(client: TestClient) -> None:
    response = client.post("/api/gadgets", json={"display_name": "Gear", "unit_price": 3})

    # populate_by_name accepts the Python names too; what matters is the data is not lost.
    assert response.status_code == 201
    assert response.json()["unitPrice"] == 3


def test_wrong_type_is_422_naming_the_camel_case_field(client: TestClient) -> None:
    response = client.post("/api/gadgets", json={"displayName": "Gear", "unitPrice": "many"})

    body = _assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": "unitPrice",
            "message": "Input should be a valid integer, unable to parse string as an integer",
        }
    ]


def test_missing_field_is_422_naming_it(client: TestClient) -> None:
    response = client.post("/api/gadgets", json={"unitPrice": 3})

    body = _assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["displayName"]


def test_malformed_json_is_422_problem(client: TestClient) -> None:
    response = client.post(
        "/api/gadgets",
        content=b'{"displayName": "Gear", ',
        headers={"Content-Type": "application/json"},
    )

    body = _assert_problem(response, 422)
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["message"].startswith("Malformed JSON")


def test_bad_path_parameter_is_422_naming_it(client: TestClient) -> None:
    body = _assert_problem(client.get("/api/gadgets/abc"), 422)

    assert [e["field"] for e in body["errors"]] == ["gadget_id"]


def test_unknown_route_is_404_problem(client: TestClient) -> None:
    body = _assert_problem(client.get("/api/nothing-here"), 404)

    assert body["title"] == "Not found"
    assert "detail" not in body


def test_wrong_method_is_405_problem_with_allow(client: TestClient) -> None:
    response = client.patch("/api/gadgets")

    _assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


def test_problem_error_renders_errors_extra_and_headers(client: TestClient) -> None:
    response = client.put("/api/gadgets/3")

    body = _assert_problem(response, 409)
    assert body == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "That name is taken.",
        "errors": [{"field": "displayName", "message": "already used"}],
        "currentVersion": 7,
    }
    assert response.headers["retry-after"] == "5"


def test_field_error_names_the_field(client: TestClient) -> None:
    body = _assert_problem(client.patch("/api/gadgets/3"), 422)

    assert body["errors"] == [{"field": "displayName", "message": "must not be empty"}]
    assert body["detail"] == "displayName: must not be empty"


def test_unhandled_exception_is_500_problem_without_internals(
    client: TestClient, json_lines: io.StringIO
) -> None:
    response = client.delete("/api/gadgets/3", headers={"X-Request-ID": "req-crash-1"})

    body = _assert_problem(response, 500)
    assert set(body) == {"type", "title", "status", "detail"}
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    # The client's support reference leads to the logged stack trace.
    assert response.headers["x-request-id"] == "req-crash-1"
    [line] = [entry for entry in _lines(json_lines) if entry["logger"] == "clinic.problems"]
    assert line["requestId"] == "req-crash-1"
    assert line["level"] == "ERROR"
    assert "hunter2" in line["exception"]


# --- request ids ----------------------------------------------------------------------------


def test_incoming_request_id_is_echoed_and_logged(
    client: TestClient, json_lines: io.StringIO
) -> None:
    response = client.get("/api/gadgets/5", headers={"X-Request-ID": "abc-123.def:4_5"})

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc-123.def:4_5"
    [line] = _lines(json_lines)
    assert line == {
        **line,
        "message": "reading gadget 5",
        "requestId": "abc-123.def:4_5",
        "service": "gadgets",
        "level": "INFO",
    }


def test_request_id_reaches_async_endpoints_logs(
    client: TestClient, json_lines: io.StringIO
) -> None:
    response = client.get("/api/gadgets/5/async", headers={"X-Request-ID": "async-1"})

    assert response.status_code == 200
    assert [line["requestId"] for line in _lines(json_lines)] == ["async-1"]


def test_missing_request_id_is_generated_and_logged(
    client: TestClient, json_lines: io.StringIO
) -> None:
    first = client.get("/api/gadgets/5").headers["x-request-id"]
    second = client.get("/api/gadgets/6").headers["x-request-id"]

    assert len(first) == 32
    assert first != second
    assert [line["requestId"] for line in _lines(json_lines)] == [first, second]


@pytest.mark.parametrize(
    "unsafe",
    ["has spaces", "x" * 129, 'quote"d', "semi;colon", "émoji-ñ"],
)
def test_unsafe_request_id_is_replaced(client: TestClient, unsafe: str) -> None:
    response = client.get("/api/gadgets/5", headers={"X-Request-ID": unsafe.encode()})

    echoed = response.headers["x-request-id"]
    assert echoed != unsafe
    assert len(echoed) == 32
    assert echoed.isalnum()


def test_request_id_with_newline_is_replaced(app: FastAPI) -> None:
    # httpx refuses to send a newline in a header, so speak ASGI directly.
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-request-id", b"abc\r\nSet-Cookie: evil=1")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    import anyio

    anyio.run(app, scope, receive, send)

    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 200
    [echoed] = [v for k, v in start["headers"] if k == b"x-request-id"]
    assert b"\n" not in echoed
    assert len(echoed) == 32


def test_request_id_on_error_responses(client: TestClient) -> None:
    for response in (
        client.get("/api/nothing", headers={"X-Request-ID": "r-404"}),
        client.post("/api/gadgets", json={}, headers={"X-Request-ID": "r-422"}),
        client.put("/api/gadgets/1", headers={"X-Request-ID": "r-409"}),
    ):
        assert response.headers["x-request-id"] == f"r-{response.status_code}"


# --- health, readiness, metrics --------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "gadgets"}


def test_readyz_without_checks_is_ready(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {}}


def test_readyz_is_503_naming_the_failing_check(test_jwks: dict[str, Any]) -> None:
    def fine() -> None:
        return None

    app = create_service_app(
        _settings(),
        title="Gadgets",
        verifier=_verifier(test_jwks),
        readiness={"fine": fine, "redis": redis_check("redis://127.0.0.1:1/0")},
    )
    with TestClient(app) as client:
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["fine"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/gadgets/101")
    client.get("/api/gadgets/202")
    client.get("/api/nothing-here")

    text = client.get("/metrics").text

    assert (
        'http_requests_total{method="GET",route="/api/gadgets/{gadget_id}",status="200"} 2.0'
        in text
    )
    assert 'http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert "/api/gadgets/101" not in text
    assert "http_request_duration_seconds_bucket" in text


def test_metrics_are_per_app(test_jwks: dict[str, Any]) -> None:
    first = create_service_app(
        _settings(), title="A", routers=[router], verifier=_verifier(test_jwks)
    )
    second = create_service_app(
        _settings(), title="B", routers=[router], verifier=_verifier(test_jwks)
    )
    with TestClient(first) as a, TestClient(second) as b:
        a.get("/api/gadgets/1")
        text = b.get("/metrics").text

    assert 'route="/api/gadgets/{gadget_id}"' not in text


def test_ops_routes_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "/api/gadgets" in paths
    assert not {"/healthz", "/readyz", "/metrics"} & set(paths)


def test_lifespan_is_run(test_jwks: dict[str, Any]) -> None:
    from contextlib import asynccontextmanager

    events: list[str] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        events.append("start")
        yield
        events.append("stop")

    app = create_service_app(
        _settings(), title="Gadgets", lifespan=lifespan, verifier=_verifier(test_jwks)
    )
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert events == ["start"]

    assert events == ["start", "stop"]
