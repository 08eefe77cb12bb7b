"""Page: the N+1 fetch, the 15/16 boundary, view links and bad page parameters."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.pagination import Collection, Page
from clinic_shared.problems import PROBLEM_JSON
from clinic_shared.schemas import CamelModel
from clinic_shared.settings import ServiceSettings

fetches: list[tuple[int, int]] = []
stored_rows: list[int] = []


class ThingPublic(CamelModel):
    thing_id: int


router = APIRouter()


@router.get("/api/things")
def list_things(page: Page, request: Request) -> Collection[ThingPublic]:
    """List things a page at a time."""
    fetches.append((page.offset, page.fetch_limit))
    rows = stored_rows[page.offset : page.offset + page.fetch_limit]
    return page.collection([ThingPublic(thing_id=n) for n in rows], request)


@pytest.fixture
def client() -> TestClient:
    fetches.clear()
    stored_rows.clear()
    settings = ServiceSettings(service_name="things", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    return TestClient(
        create_service_app(settings, title="Things", routers=[router], verifier=verifier)
    )


def _store(count: int) -> None:
    stored_rows[:] = range(1, count + 1)


def _query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def test_exactly_one_page_of_rows_has_no_next(client: TestClient) -> None:
    _store(15)

    body = client.get("/api/things").json()

    assert [m["thingId"] for m in body["member"]] == list(range(1, 16))
    assert body["view"] == {
        "first": "/api/things?page=1&itemsPerPage=15",
        "previous": None,
        "next": None,
    }
    assert fetches == [(0, 16)]


def test_sixteen_fetched_rows_give_fifteen_and_a_next_link(client: TestClient) -> None:
    _store(40)

    body = client.get("/api/things").json()

    assert len(body["member"]) == 15
    assert body["member"][-1] == {"thingId": 15}
    assert body["view"]["next"] == "/api/things?page=2&itemsPerPage=15"
    assert body["view"]["previous"] is None


def test_previous_only_after_the_first_page(client: TestClient) -> None:
    _store(40)

    second = client.get("/api/things", params={"page": 2}).json()
    last = client.get("/api/things", params={"page": 3}).json()

    assert [m["thingId"] for m in second["member"]] == list(range(16, 31))
    assert second["view"]["previous"] == "/api/things?page=1&itemsPerPage=15"
    assert second["view"]["next"] == "/api/things?page=3&itemsPerPage=15"
    assert [m["thingId"] for m in last["member"]] == list(range(31, 41))
    assert last["view"]["previous"] == "/api/things?page=2&itemsPerPage=15"
    assert last["view"]["next"] is None
    assert fetches == [(15, 16), (30, 16)]


def test_items_per_page_sets_the_page_size(client: TestClient) -> None:
    _store(10)

    body = client.get("/api/things", params={"itemsPerPage": 4, "page": 2}).json()

    assert [m["thingId"] for m in body["member"]] == [5, 6, 7, 8]
    assert body["view"]["next"] == "/api/things?page=3&itemsPerPage=4"
    assert fetches == [(4, 5)]


def test_empty_collection(client: TestClient) -> None:
    body = client.get("/api/things").json()

    assert body["member"] == []
    assert body["view"]["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"itemsPerPage": 0}, "itemsPerPage"),
        ({"itemsPerPage": 101}, "itemsPerPage"),
        ({"itemsPerPage": "ten"}, "itemsPerPage"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
    ],
)
def test_bad_page_parameters_are_422_naming_them(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/things", params=params)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert fetches == []


def test_hundred_items_per_page_is_allowed(client: TestClient) -> None:
    _store(150)

    body = client.get("/api/things", params={"itemsPerPage": 100}).json()

    assert len(body["member"]) == 100
    assert fetches == [(0, 101)]


def test_other_query_parameters_are_kept_and_encoded_in_links(client: TestClient) -> None:
    _store(40)

    body = client.get(
        "/api/things",
        params=[("q", "García & Co"), ("status", "open"), ("status", "held"), ("page", "2")],
    ).json()

    for link in (body["view"]["first"], body["view"]["previous"], body["view"]["next"]):
        assert " " not in link
        assert "&Co" not in link
        assert link.startswith("/api/things?")
        query = _query(link)
        assert query["q"] == ["García & Co"]
        assert query["status"] == ["open", "held"]
        assert query["itemsPerPage"] == ["15"]
    assert _query(body["view"]["next"])["page"] == ["3"]
    assert _query(body["view"]["previous"])["page"] == ["1"]
    assert _query(body["view"]["first"])["page"] == ["1"]
