"""CurrentUser and require_roles inside a service app: 401 with a challenge, 403, 200."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from clinic_shared.app import create_service_app
from clinic_shared.auth import (
    ROLE_ADMIN,
    ROLE_PRACTITIONER,
    ROLE_RECEPTIONIST,
    CurrentUser,
    JwksCache,
    JwtVerifier,
    Principal,
    require_roles,
)
from clinic_shared.problems import PROBLEM_JSON
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.keys import TokenFactory
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER

router = APIRouter(prefix="/api")
Clinician = Annotated[Principal, Depends(require_roles(ROLE_ADMIN, ROLE_PRACTITIONER))]


@router.get("/me")
def read_me(user: CurrentUser) -> dict[str, Any]:
    """Who am I."""
    return {"id": user.user_id, "roles": list(user.roles)}


@router.get("/records")
def list_records(user: Clinician) -> dict[str, str]:
    """Clinical records: admins and practitioners only."""
    return {"readBy": user.user_id}


@router.delete("/users/{user_id}", dependencies=[Depends(require_roles(ROLE_ADMIN))])
def delete_user(user_id: int) -> dict[str, int]:
    """Admins only."""
    return {"deleted": user_id}


@pytest.fixture
def client(test_jwks: dict[str, Any]) -> TestClient:
    settings = ServiceSettings(service_name="records", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(lambda: test_jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
    app = create_service_app(settings, title="Records", routers=[router], verifier=verifier)
    return TestClient(app)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_401(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Unauthorized"


def test_no_authorization_is_401_with_a_challenge(client: TestClient) -> None:
    _assert_401(client.get("/api/me"))


@pytest.mark.parametrize(
    "authorization", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearer-ish"]
)
def test_other_schemes_are_401(client: TestClient, authorization: str) -> None:
    _assert_401(client.get("/api/me", headers={"Authorization": authorization}))


def test_invalid_token_is_401_without_the_reason(
    client: TestClient, token_factory: TokenFactory
) -> None:
    response = client.get("/api/me", headers=_bearer(token_factory(aud="elsewhere")))

    _assert_401(response)
    # The reason (wrong audience) goes to the log, not to whoever holds the token.
    assert response.json()["detail"] == "The access token is invalid or expired."


def test_garbage_token_is_401(client: TestClient) -> None:
    _assert_401(client.get("/api/me", headers=_bearer("a.b.c")))


def test_valid_token_reaches_the_endpoint(client: TestClient, token_factory: TokenFactory) -> None:
    response = client.get(
        "/api/me", headers=_bearer(token_factory(sub="8", roles=[ROLE_RECEPTIONIST]))
    )

    assert response.status_code == 200
    assert response.json() == {"id": "8", "roles": [ROLE_RECEPTIONIST]}


def test_lowercase_bearer_scheme_is_accepted(
    client: TestClient, token_factory: TokenFactory
) -> None:
    response = client.get("/api/me", headers={"Authorization": f"bearer {token_factory()}"})

    assert response.status_code == 200


def test_wrong_role_is_403(client: TestClient, token_factory: TokenFactory) -> None:
    receptionist = _bearer(token_factory(sub="3", roles=[ROLE_RECEPTIONIST]))

    records = client.get("/api/records", headers=receptionist)
    delete = client.delete("/api/users/9", headers=receptionist)

    for response in (records, delete):
        assert response.status_code == 403
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["title"] == "Forbidden"


def test_no_role_at_all_is_403(client: TestClient, token_factory: TokenFactory) -> None:
    response = client.get("/api/records", headers=_bearer(token_factory(roles=[])))

    assert response.status_code == 403


def test_any_listed_role_is_enough(client: TestClient, token_factory: TokenFactory) -> None:
    practitioner = _bearer(token_factory(sub="4", roles=[ROLE_PRACTITIONER]))
    admin = _bearer(token_factory(sub="1", roles=[ROLE_RECEPTIONIST, ROLE_ADMIN]))

    assert client.get("/api/records", headers=practitioner).json() == {"readBy": "4"}
    assert client.get("/api/records", headers=admin).json() == {"readBy": "1"}
    assert client.delete("/api/users/9", headers=admin).json() == {"deleted": 9}
    assert client.delete("/api/users/9", headers=practitioner).status_code == 403


def test_missing_token_on_a_role_route_is_401_not_403(client: TestClient) -> None:
    _assert_401(client.get("/api/records"))


def test_bearer_scheme_is_in_the_openapi_document(client: TestClient) -> None:
    document = client.get("/openapi.json").json()

    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert document["paths"]["/api/records"]["get"]["security"] == [{"HTTPBearer": []}]


def test_a_token_that_cannot_be_checked_while_identity_is_down_is_503_not_401(
    token_factory: TokenFactory,
) -> None:
    """A 401 would sign every user of the SPA out during an identity outage."""

    def identity_down() -> dict[str, Any]:
        raise ConnectionError("identity is unreachable")

    settings = ServiceSettings(service_name="records", app_env="test", database_url="sqlite://")
    verifier = JwtVerifier(JwksCache(identity_down), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
    app = create_service_app(settings, title="Records", routers=[router], verifier=verifier)
    response = TestClient(app).get("/api/me", headers=_bearer(token_factory(sub="7")))

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "5"
