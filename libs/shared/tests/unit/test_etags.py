"""ETag out, If-Match in: 428 when missing, 412 when stale, matching variants pass."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Response
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.errors import ExpectedVersion, PreconditionRequiredError, StaleVersionError
from clinic_shared.etags import IfMatch, etag_for, set_etag
from clinic_shared.problems import PROBLEM_JSON
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
def replace_note(response: Response, expected: IfMatch) -> dict[str, int]:
    """Replace the note if the caller saw the stored version."""
    expected.check(STORED_VERSION)
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


def test_expected_version_directly() -> None:
    ExpectedVersion('"7"').check(7)
    with pytest.raises(PreconditionRequiredError) as missing:
        ExpectedVersion(None).check(7)
    with pytest.raises(PreconditionRequiredError) as empty:
        ExpectedVersion("").check(7)
    with pytest.raises(StaleVersionError) as stale:
        ExpectedVersion('"6"').check(7)

    assert (missing.value.status, empty.value.status, stale.value.status) == (428, 428, 412)
    assert stale.value.extra == {"currentVersion": 7}
