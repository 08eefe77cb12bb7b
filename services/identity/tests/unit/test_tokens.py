"""Access-token claims and header."""

from __future__ import annotations

import time

import jwt
import pytest

from clinic_identity.keys import KeyRing, SigningKey
from clinic_identity.tokens import TokenIssuer
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.testing.keys import TestKey

NOW = 1_800_000_000


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.from_pem(TestKey.generate().private_pem)


@pytest.fixture
def issuer(key: SigningKey) -> TokenIssuer:
    return TokenIssuer(key=key, issuer="clinic-identity", audience="clinic", lifetime_seconds=900)


def _issue(issuer: TokenIssuer) -> str:
    return issuer.issue(
        user_id="u-1",
        session_id="s-1",
        roles=["ROLE_ADMIN", "ROLE_PRACTITIONER"],
        name="Ana García",
        now=NOW,
    ).token


def test_header_is_rs256_with_the_signing_kid(issuer: TokenIssuer, key: SigningKey) -> None:
    header = jwt.get_unverified_header(_issue(issuer))
    assert header["alg"] == "RS256"
    assert header["kid"] == key.kid


def test_claims(issuer: TokenIssuer, key: SigningKey) -> None:
    claims = jwt.decode(
        _issue(issuer),
        key.private_key.public_key(),
        algorithms=["RS256"],
        audience="clinic",
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    jti = claims.pop("jti")
    assert claims == {
        "iss": "clinic-identity",
        "aud": "clinic",
        "sub": "u-1",
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 900,
        "sid": "s-1",
        "roles": ["ROLE_ADMIN", "ROLE_PRACTITIONER"],
        "name": "Ana García",
    }
    assert len(jti) == 32


def test_every_token_has_its_own_jti(issuer: TokenIssuer) -> None:
    claims = [jwt.decode(_issue(issuer), options={"verify_signature": False}) for _ in range(3)]
    assert len({c["jti"] for c in claims}) == 3


def test_expires_in_is_the_lifetime(issuer: TokenIssuer) -> None:
    token = issuer.issue(user_id="u", session_id="s", roles=[], name="", now=NOW)
    assert token.expires_in == 900


def test_the_shared_verifier_accepts_a_fresh_token(key: SigningKey) -> None:
    issuer = TokenIssuer(key=key, issuer="iss", audience="aud", lifetime_seconds=900)
    token = issuer.issue(
        user_id="u-9",
        session_id="s-9",
        roles=["ROLE_RECEPTIONIST"],
        name="Carmen",
        now=int(time.time()),
    ).token
    verifier = JwtVerifier(JwksCache(KeyRing([key]).jwks), issuer="iss", audience="aud")
    principal = verifier.verify(token)
    assert principal.user_id == "u-9"
    assert principal.session_id == "s-9"
    assert principal.roles == ("ROLE_RECEPTIONIST",)
    assert principal.name == "Carmen"
