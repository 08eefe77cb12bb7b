"""Every malformed or forged access token is refused by identity's own endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from clinic_identity.keys import SigningKey
from clinic_shared.testing.keys import TestKey

pytestmark = pytest.mark.integration


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: dict[str, Any]) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


@pytest.fixture
def real(api, settings) -> dict[str, Any]:
    """A genuine login: its token, claims, header and the key that signed it."""
    token = api.token("admin@demo.clinic")
    key = SigningKey.from_pem(settings.signing_key_files[0].read_bytes())
    return {
        "token": token,
        "claims": jwt.decode(token, options={"verify_signature": False}),
        "kid": jwt.get_unverified_header(token)["kid"],
        "key": key,
    }


@pytest.fixture
def sign(real) -> Callable[..., str]:
    """Sign claims derived from the real token (None drops a claim) with the real key."""

    def make(key: Any = None, kid: str | None = None, **changes: Any) -> str:
        claims = {**real["claims"], **changes}
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(
            claims,
            key or real["key"].private_key,
            algorithm="RS256",
            headers={"kid": kid or real["kid"]},
        )

    return make


def test_the_real_token_and_a_re_signed_copy_are_accepted(api, real, sign) -> None:
    # The control: the forgeries below differ from this in one point only.
    assert api.me(real["token"]).status_code == 200
    assert api.me(sign()).status_code == 200


def test_no_token(client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_not_a_bearer_scheme(client, real) -> None:
    assert (
        client.get("/api/me", headers={"Authorization": f"Basic {real['token']}"}).status_code
        == 401
    )


def test_alg_none(api, real) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": real["kid"]}
    token = f"{_segment(header)}.{_segment(real['claims'])}."
    assert api.me(token).status_code == 401


def test_hs256_signed_with_the_public_key(api, real, client) -> None:
    # The classic algorithm-confusion attack: the public key used as an HMAC secret.
    public_pem = (
        real["key"]
        .private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": real["kid"]}
    signing_input = f"{_segment(header)}.{_segment(real['claims'])}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert api.me(f"{signing_input}.{_b64(signature)}").status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"exp": -60, "iat": -1000, "nbf": -1000}, id="expired"),
        pytest.param({"nbf": 600}, id="nbf-in-the-future"),
        pytest.param({"exp": None}, id="missing-exp"),
        pytest.param({"iat": None}, id="missing-iat"),
        pytest.param({"sub": None}, id="missing-sub"),
    ],
)
def test_time_and_required_claims(api, sign, changes: dict[str, int | None]) -> None:
    now = int(time.time())
    shifted = {k: (None if v is None else now + v) for k, v in changes.items()}
    assert api.me(sign(**shifted)).status_code == 401


def test_wrong_audience(api, sign) -> None:
    assert api.me(sign(aud="some-other-app")).status_code == 401


def test_wrong_issuer(api, sign) -> None:
    assert api.me(sign(iss="https://evil.example")).status_code == 401


def test_tampered_payload(api, real) -> None:
    header, _, signature = real["token"].split(".")
    escalated = {**real["claims"], "roles": ["ROLE_ADMIN", "ROLE_PRACTITIONER"], "sub": "x"}
    assert api.me(f"{header}.{_segment(escalated)}.{signature}").status_code == 401


def test_unknown_kid(api, sign) -> None:
    stranger = TestKey.generate()
    assert api.me(sign(key=stranger.private_key, kid=stranger.kid)).status_code == 401
    # A genuine signature announced under a kid identity does not publish is refused too.
    assert api.me(sign(kid="not-published")).status_code == 401


def test_token_of_another_key_under_the_real_kid(api, real, sign) -> None:
    assert api.me(sign(key=TestKey.generate().private_key)).status_code == 401


def test_valid_signature_but_unknown_session(api, sign) -> None:
    # Identity also checks the refresh session named in sid is live.
    assert api.me(sign(sid="0" * 32)).status_code == 401
    assert api.me(sign(sid=None)).status_code == 401


def test_garbage(api) -> None:
    for token in ("abc", "a.b.c", "", "...."):
        assert api.me(token).status_code == 401
