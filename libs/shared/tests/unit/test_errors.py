"""The error vocabulary: each rule error maps once to its problem+json status and body."""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app, operation_id
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.errors import (
    ClinicError,
    ConflictError,
    ExpectedVersion,
    FieldError,
    NotFoundError,
    PreconditionRequiredError,
    StaleVersionError,
)
from clinic_shared.problems import PROBLEM_JSON
from clinic_shared.settings import ServiceSettings

ERRORS: dict[str, ClinicError] = {
    "missing": NotFoundError("No gadget has this id."),
    "taken": ConflictError(
        "That name is taken.", field="name", message="is taken", extra={"existingId": "g-1"}
    ),
    "final": ConflictError("A sold gadget cannot be changed."),
    "bad": FieldError("endsAt", "must be after startsAt"),
    "unversioned": PreconditionRequiredError("Send If-Match."),
    "stale": StaleVersionError(4, "this gadget"),
}
router = APIRouter(tags=["gadget parts"])


@router.get("/api/errors/{name}")
def raise_error(name: str) -> None:
    """Raise the named rule error."""
    raise ERRORS[name]


@pytest.fixture
def client() -> TestClient:
    settings = ServiceSettings(service_name="gadgets", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
    app = create_service_app(settings, title="Gadgets", routers=[router], verifier=verifier)
    return TestClient(app)


@pytest.mark.parametrize(
    ("name", "status", "body"),
    [
        ("missing", 404, {"detail": "No gadget has this id."}),
        (
            "taken",
            409,
            {
                "detail": "That name is taken.",
                "errors": [{"field": "name", "message": "is taken"}],
                "existingId": "g-1",
            },
        ),
        ("final", 409, {"detail": "A sold gadget cannot be changed."}),
        (
            "bad",
            422,
            {
                "detail": "endsAt: must be after startsAt",
                "errors": [{"field": "endsAt", "message": "must be after startsAt"}],
            },
        ),
        ("unversioned", 428, {"detail": "Send If-Match."}),
        ("stale", 412, {"currentVersion": 4}),
    ],
)
def test_each_error_is_its_problem(client: TestClient, name: str, status: int, body: dict) -> None:
    response = client.get(f"/api/errors/{name}")

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    document = response.json()
    assert document["status"] == status
    assert document["type"] == "about:blank"
    for key, value in body.items():
        assert document[key] == value
    if "errors" not in body:
        assert "errors" not in document


def test_a_stale_version_names_what_changed() -> None:
    with pytest.raises(StaleVersionError) as stale:
        ExpectedVersion('"3"').check(4, "this gadget")

    assert stale.value.detail.startswith("Someone else changed this gadget since you loaded it.")


def test_require_refuses_only_a_missing_version() -> None:
    ExpectedVersion('"1"').require()
    with pytest.raises(PreconditionRequiredError):
        ExpectedVersion(None).require()


def test_operation_ids_are_tag_and_route_name(client: TestClient) -> None:
    operations = client.get("/openapi.json").json()["paths"]["/api/errors/{name}"]

    assert operations["get"]["operationId"] == "gadget-parts-raise_error"
    assert operation_id.__doc__
