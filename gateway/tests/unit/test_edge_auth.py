"""The auth edge: Bearer parsing and the answer to each token (the verified-token cache is
tested in clinic_shared)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from clinic_gateway.edge_auth import EdgeAuthenticator, bearer_token
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.problems import ProblemError
from clinic_shared.testing.keys import TestKey, TokenFactory
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("Bearer", None),
        ("Bearer ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("Token abc", None),  # a scheme that sorts after "bearer" as well as one before
        ("", None),
        (None, None),
    ],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


# -- the edge's answer: the caller, a 401 or, when identity's keys cannot be had, a 503 -------

KEY = TestKey.generate("edge-key")
TOKENS = TokenFactory(key=KEY, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)


def _edge(jwks: Callable[[], dict[str, Any]] = lambda: {"keys": [KEY.jwk()]}) -> EdgeAuthenticator:
    return EdgeAuthenticator(
        JwtVerifier(JwksCache(jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
    )


async def test_a_valid_token_is_its_caller() -> None:
    principal = await _edge().authenticate(f"Bearer {TOKENS(sub='7', roles=['ROLE_STAFF'])}")

    assert (principal.user_id, principal.roles) == ("7", ("ROLE_STAFF",))


@pytest.mark.parametrize("header", [None, "", "Basic dXNlcjpwYXNz", "Bearer "])
async def test_no_bearer_token_is_401_with_a_challenge(header: str | None) -> None:
    with pytest.raises(ProblemError) as refused:
        await _edge().authenticate(header)

    assert (refused.value.status, refused.value.detail) == (
        401,
        "A valid access token is required.",
    )
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "token",
    [
        TOKENS(exp=int(time.time()) - 60),
        TOKENS(aud="another-audience"),
        TokenFactory(TestKey.generate("edge-key"), TEST_ISSUER, TEST_AUDIENCE)(),  # forged
        "not.a.jwt",
    ],
)
async def test_an_invalid_or_expired_token_is_401(token: str) -> None:
    with pytest.raises(ProblemError) as refused:
        await _edge().authenticate(f"Bearer {token}")

    assert (refused.value.status, refused.value.detail) == (
        401,
        "The access token is invalid or expired.",
    )


async def test_a_token_that_cannot_be_checked_while_identity_is_down_is_503() -> None:
    def identity_down() -> dict[str, Any]:
        raise ConnectionError("identity is unreachable")

    with pytest.raises(ProblemError) as refused:
        await _edge(identity_down).authenticate(f"Bearer {TOKENS()}")

    assert (refused.value.status, refused.value.headers) == (503, {"Retry-After": "5"})


def test_the_services_share_the_edges_verifier() -> None:
    verifier = JwtVerifier(JwksCache(dict), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)

    assert EdgeAuthenticator(verifier).verifier is verifier
