"""Issue 11: no-store on every answer, a request-body limit, duplicate JSON keys, text rules,
bounded dates and the problem+json answers in every service's OpenAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, Query, Response
from fastapi.testclient import TestClient
from pydantic import ValidationError

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.deps import StaffUser
from clinic_shared.etags import IfMatch
from clinic_shared.openapi import problem_responses
from clinic_shared.problems import PROBLEM_JSON
from clinic_shared.schemas import (
    CalendarDate,
    CamelInput,
    MultiLine,
    OffsetDatetime,
    SingleLine,
)
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER


class WidgetIn(CamelInput):
    display_name: SingleLine
    notes: MultiLine | None = None
    roles: list[str] = []
    starts_at: OffsetDatetime | None = None
    on: CalendarDate | None = None


router = APIRouter(prefix="/api/widgets", tags=["widgets"])


@router.post("", status_code=201)
def create_widget(body: WidgetIn) -> dict[str, Any]:
    """Echo the widget."""
    return body.model_dump(mode="json", by_alias=True)


@router.get("/{widget_id}")
def read_widget(widget_id: int, _user: StaffUser, day: date | None = Query(None)) -> dict[str, int]:
    """A widget."""
    return {"id": widget_id}


@router.put("/{widget_id}", responses=problem_responses(429))
def replace_widget(widget_id: int, body: WidgetIn, _user: StaffUser, expected: IfMatch) -> None:
    """Replace a widget."""


@router.get("/keys/public")
def public_keys(response: Response) -> dict[str, str]:
    """Cacheable on purpose."""
    response.headers["Cache-Control"] = "public, max-age=60"
    return {}


def _app(test_jwks: dict[str, Any], **settings: Any) -> FastAPI:
    values = {"service_name": "widgets", "app_env": "test", "database_url": "sqlite://"}
    verifier = JwtVerifier(JwksCache(lambda: test_jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
    return create_service_app(
        ServiceSettings(**values, **settings), title="W", routers=[router], verifier=verifier
    )


@pytest.fixture
def client(test_jwks: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(_app(test_jwks, max_body_bytes=2048), raise_server_exceptions=False) as c:
        yield c


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


# --- finding 7: no-store --------------------------------------------------------------------


def test_every_answer_is_no_store(client: TestClient) -> None:
    assert client.post("/api/widgets", json={"displayName": "a"}).headers["cache-control"] == (
        "no-store"
    )
    assert client.get("/api/widgets/1").headers["cache-control"] == "no-store"  # 401
    assert client.get("/nowhere").headers["cache-control"] == "no-store"  # 404
    assert client.get("/openapi.json").headers["cache-control"] == "no-store"


def test_a_route_keeps_its_own_cache_control(client: TestClient) -> None:
    assert client.get("/api/widgets/keys/public").headers["cache-control"] == ("public, max-age=60")


# --- finding 12: body limit -----------------------------------------------------------------


def test_body_over_the_limit_is_413_by_content_length(client: TestClient) -> None:
    body = b'{"displayName": "' + b"x" * 4000 + b'"}'
    response = client.post(
        "/api/widgets", content=body, headers={"Content-Type": "application/json"}
    )
    assert "2048" in _problem(response, 413)["detail"]
    assert response.headers["cache-control"] == "no-store"


def test_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"displayName": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    response = client.post(
        "/api/widgets", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    _problem(response, 413)


def test_chunked_body_under_the_limit_passes(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"displayName": '
        yield b'"small"}'

    response = client.post(
        "/api/widgets", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["displayName"] == "small"


def test_default_limit_is_one_mebibyte() -> None:
    settings = ServiceSettings(service_name="w", app_env="test", database_url="sqlite://")
    assert settings.max_body_bytes == 1024 * 1024


# --- finding 10: duplicate keys -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"displayName": "a", "roles": ["x"], "roles": ["ROLE_ADMIN"]}', "roles"),
        (b'{"displayName": "a", "displayName": "b"}', "displayName"),
        (b'{"displayName": "a", "nested": {"k": 1, "k": 2}}', "k"),
    ],
)
def test_duplicate_json_key_is_422_naming_it(client: TestClient, body: bytes, field: str) -> None:
    response = client.post(
        "/api/widgets", content=body, headers={"Content-Type": "application/json"}
    )
    problem = _problem(response, 422)
    assert problem["errors"] == [
        {"field": field, "message": "is given more than once in the same object"}
    ]


def test_same_key_in_two_objects_is_fine(client: TestClient) -> None:
    body = b'{"displayName": "a", "roles": [], "x": null}'
    response = client.post(
        "/api/widgets", content=body, headers={"Content-Type": "application/json"}
    )
    # Unknown "x" is FastAPI's 422, not the duplicate check's: the check lets it through.
    assert _problem(response, 422)["errors"][0]["field"] == "x"


def test_malformed_json_is_still_fastapis_422(client: TestClient) -> None:
    response = client.post(
        "/api/widgets", content=b'{"displayName": ', headers={"Content-Type": "application/json"}
    )
    assert _problem(response, 422)["errors"][0]["field"] == "body"


def test_a_json_body_that_is_not_utf8_is_422_not_400(client: TestClient) -> None:
    response = client.post(
        "/api/widgets", content=b'5\xff\x02"', headers={"Content-Type": "application/json"}
    )
    assert _problem(response, 422)["errors"][0]["field"] == "body"


# --- finding 5: text ------------------------------------------------------------------------

FORBIDDEN = [
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\n",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\ud800",
]
ALLOWED = [
    "Lucía",
    "Ñuñez",
    "Zoë",
    "Øyvind",
    "李小龙",
    "محمد",
    "Ἀθηνᾶ",
    "José 😀",
    "O'Brien-Smith",
    # Joiners between visible characters are writing, not hiding: an emoji family (ZWJ),
    # a Persian name part (ZWNJ), a Devanagari conjunct (ZWJ).
    "Ana \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647",
    "\u0915\u094d\u200d\u0937",
]


@pytest.mark.parametrize("char", FORBIDDEN)
def test_invisible_and_control_characters_are_422_naming_the_field(
    client: TestClient, char: str
) -> None:
    # As a JSON escape, as a client would send it (a lone surrogate cannot be UTF-8 itself);
    # after a space, where not even a joiner has anything to join.
    body = json.dumps({"displayName": f"Ana {char}Gil"}, ensure_ascii=True)
    response = client.post(
        "/api/widgets", content=body, headers={"Content-Type": "application/json"}
    )
    assert [e["field"] for e in _problem(response, 422)["errors"]] == ["displayName"]


@pytest.mark.parametrize("name", ALLOWED)
def test_every_script_and_emoji_stays_allowed(client: TestClient, name: str) -> None:
    response = client.post("/api/widgets", json={"displayName": name})
    assert response.status_code == 201, response.text
    assert response.json()["displayName"] == name


def test_notes_allow_line_breaks_and_tabs_but_not_the_rest() -> None:
    assert WidgetIn(display_name="a", notes="one\n\ttwo\r\n").notes == "one\n\ttwo"
    for char in ("\x00", "\u202e", "\u200b"):
        with pytest.raises(ValidationError):
            WidgetIn(display_name="a", notes=f"one{char}two")


# --- findings 1 and 11: dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"startsAt": "0001-01-01T00:00:00+05:00"}, "startsAt"),
        ({"startsAt": "9999-12-31T23:59:59-05:00"}, "startsAt"),
        ({"startsAt": "2026-03-01T09:30:00"}, "startsAt"),
        ({"on": "0001-01-01"}, "on"),
        ({"on": "9999-12-31"}, "on"),
    ],
)
def test_dates_out_of_range_or_without_offset_are_422(
    client: TestClient, changes: dict[str, str], field: str
) -> None:
    response = client.post("/api/widgets", json={"displayName": "a", **changes})
    assert [e["field"] for e in _problem(response, 422)["errors"]] == [field]


def test_dates_with_offsets_in_range_pass(client: TestClient) -> None:
    response = client.post(
        "/api/widgets", json={"displayName": "a", "startsAt": "2026-03-01T09:30:00Z"}
    )
    assert response.status_code == 201, response.text


# --- finding 8: OpenAPI ---------------------------------------------------------------------


def test_openapi_documents_every_problem_answer(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["title", "status"]
    paths = document["paths"]

    def statuses(path: str, method: str) -> set[str]:
        return {code for code in paths[path][method]["responses"] if code >= "400"}

    assert statuses("/api/widgets", "post") == {"409", "413", "422"}
    assert statuses("/api/widgets/{widget_id}", "get") == {"401", "403", "404", "422"}
    assert statuses("/api/widgets/{widget_id}", "put") == {
        "401",
        "403",
        "404",
        "409",
        "412",
        "413",
        "422",
        "428",
        "429",
    }
    for path_item in paths.values():
        for operation in path_item.values():
            for code, answer in operation["responses"].items():
                if code >= "400":
                    assert answer["content"] == {
                        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
                    assert answer["description"] != "Validation Error"
