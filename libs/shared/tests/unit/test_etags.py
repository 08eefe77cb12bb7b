"""ETag out, If-Match in: 428 when missing, 412 when stale, matching variants pass."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Header, Response
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.etags import check_if_match, etag_for, set_etag
from clinic_shared.problems import PROBLEM_JSON, ProblemError
from clinic_shared.settings import ServiceSettings

STORED_VERSION = 3
saved: list[int] = []
router = APIRouter()


@router.get("/api/notes/1")
def read_note(response: Response) -> dict[str, int]:
    """Read the note."""
    set_etag(response, STORED_VERSION)
    return {"version": STORED_VERSION}


@router.put("/api/notes/1")
def replace_note(
    response: Response, if_match: Annotated[str | None, Header()] = None
) -> dict[str, int]:
    """Replace the note if the caller saw the stored version."""
    check_if_match(if_match, STORED_VERSION)
    saved.append(STORED_VERSION + 1)
    set_etag(response, STORED_VERSION + 1)
    return {"version": STORED_VERSION + 1}


@pytest.fixture
def client() -> TestClient:
    saved.clear()
    settings = ServiceSettings(service_name="notes", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    return TestClient(
        create_service_app(settings, title="Notes", routers=[router], verifier=verifier)
    )


def test_etag_is_the_quoted_version(client: TestClient) -> None:
    assert etag_for(12) == '"12"'
    assert client.get("/api/notes/1").headers["etag"] == '"3"'


def test_missing_if_match_is_428(client: TestClient) -> None:
    response = client.put("/api/notes/1")

    assert response.status_code == 428
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "If-Match" in response.json()["detail"]
    assert saved == []


@pytest.mark.parametrize("stale", ['"2"', '"4"', 'W/"2"', '"1", "2"', "3", '"03"', '""'])
def test_stale_if_match_is_412_with_the_current_version(client: TestClient, stale: str) -> None:
    response = client.put("/api/notes/1", headers={"If-Match": stale})

    assert response.status_code == 412
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["currentVersion"] == STORED_VERSION
    assert body["title"] == "Precondition failed"
    assert saved == []


@pytest.mark.parametrize("matching", ['"3"', 'W/"3"', '"1", "3"', '"2",W/"3"', "*", ' "3" '])
def test_matching_if_match_passes(client: TestClient, matching: str) -> None:
    response = client.put("/api/notes/1", headers={"If-Match": matching})

    assert response.status_code == 200
    assert response.headers["etag"] == '"4"'
    assert saved == [4]


def test_check_if_match_directly() -> None:
    check_if_match('"7"', 7)
    with pytest.raises(ProblemError) as missing:
        check_if_match(None, 7)
    with pytest.raises(ProblemError) as empty:
        check_if_match("", 7)
    with pytest.raises(ProblemError) as stale:
        check_if_match('"6"', 7)

    assert (missing.value.status, empty.value.status, stale.value.status) == (428, 428, 412)
    assert stale.value.extra == {"currentVersion": 7}
