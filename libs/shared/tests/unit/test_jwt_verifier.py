"""JwtVerifier: only identity's RS256 tokens with every required claim become a Principal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from typing import Any

import jwt
import pytest

from clinic_shared.auth import InvalidTokenError, JwksCache, JwtVerifier, Principal
from clinic_shared.testing.keys import TestKey, TokenFactory
from clinic_shared.testing.plugin import TEST_AUDIENCE, TEST_ISSUER


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


def _unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@pytest.fixture
def verifier(test_jwks: dict[str, Any]) -> JwtVerifier:
    return JwtVerifier(JwksCache(lambda: test_jwks), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)


def test_valid_token_gives_the_principal(
    verifier: JwtVerifier, token_factory: TokenFactory
) -> None:
    claims = token_factory.claims(sub="42", roles=["ROLE_PRACTITIONER"], name="Laura Martínez")
    token = jwt.encode(
        claims,
        token_factory.key.private_pem,
        algorithm="RS256",
        headers={"kid": token_factory.key.kid},
    )

    principal = verifier.verify(token)

    assert principal == Principal(
        user_id="42",
        roles=("ROLE_PRACTITIONER",),
        name="Laura Martínez",
        session_id=claims["sid"],
        token_id=claims["jti"],
        expires_at=claims["exp"],
    )
    assert principal.has_any_role("ROLE_ADMIN", "ROLE_PRACTITIONER")
    assert not principal.has_any_role("ROLE_ADMIN")


def test_token_without_roles_has_none(verifier: JwtVerifier, token_factory: TokenFactory) -> None:
    claims = token_factory.claims()
    del claims["roles"]
    token = jwt.encode(
        claims, token_factory.key.private_pem, algorithm="RS256", headers={"kid": "test-key-1"}
    )

    principal = verifier.verify(token)

    assert principal.roles == ()


def test_expiry_within_the_leeway_is_tolerated(
    verifier: JwtVerifier, token_factory: TokenFactory
) -> None:
    now = int(time.time())

    assert verifier.verify(token_factory(exp=now - 2)).user_id == "1"


def _signed_by_pyjwt(token_factory: TokenFactory, **overrides: Any) -> str:
    return token_factory(**overrides)


def _unsigned_alg_none(token_factory: TokenFactory) -> str:
    header = {"alg": "none", "typ": "JWT", "kid": token_factory.key.kid}
    return f"{_segment(header)}.{_segment(token_factory.claims())}."


def _hs256_with_public_key_as_secret(token_factory: TokenFactory) -> str:
    # The classic algorithm-confusion attack: HMAC keyed with the published RSA public key.
    header = {"alg": "HS256", "typ": "JWT", "kid": token_factory.key.kid}
    signing_input = f"{_segment(header)}.{_segment(token_factory.claims(roles=['ROLE_ADMIN']))}"
    signature = hmac.new(
        token_factory.key.public_pem, signing_input.encode(), hashlib.sha256
    ).digest()
    return f"{signing_input}.{_b64(signature)}"


def _rs256_header_claiming_hs256_payload(token_factory: TokenFactory) -> str:
    header = {"alg": "RS256", "typ": "JWT", "kid": token_factory.key.kid}
    signing_input = f"{_segment(header)}.{_segment(token_factory.claims())}"
    signature = hmac.new(
        token_factory.key.public_pem, signing_input.encode(), hashlib.sha256
    ).digest()
    return f"{signing_input}.{_b64(signature)}"


def _tampered_payload(token_factory: TokenFactory) -> str:
    header, payload, signature = token_factory(sub="7", roles=["ROLE_RECEPTIONIST"]).split(".")
    claims = json.loads(_unb64(payload))
    claims["roles"] = ["ROLE_ADMIN"]
    return f"{header}.{_segment(claims)}.{signature}"


def _without_kid(token_factory: TokenFactory) -> str:
    return jwt.encode(token_factory.claims(), token_factory.key.private_pem, algorithm="RS256")


def _unknown_kid(token_factory: TokenFactory) -> str:
    stranger = TestKey.generate("not-published")
    return TokenFactory(key=stranger, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)()


def _right_kid_wrong_key(token_factory: TokenFactory) -> str:
    impostor = TestKey.generate(token_factory.key.kid)
    return TokenFactory(key=impostor, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)()


def _rs512(token_factory: TokenFactory) -> str:
    return jwt.encode(
        token_factory.claims(),
        token_factory.key.private_pem,
        algorithm="RS512",
        headers={"kid": token_factory.key.kid},
    )


def _now() -> int:
    return int(time.time())


INVALID_TOKENS: dict[str, Any] = {
    "no kid": _without_kid,
    "alg none": _unsigned_alg_none,
    "HS256 keyed with the public key": _hs256_with_public_key_as_secret,
    "RS256 header, HMAC signature": _rs256_header_claiming_hs256_payload,
    "RS512": _rs512,
    "expired": lambda f: f(exp=_now() - 60, iat=_now() - 960, nbf=_now() - 960),
    "not yet valid": lambda f: f(nbf=_now() + 120),
    "issued in the future": lambda f: f(iat=_now() + 120, nbf=None),
    "wrong audience": lambda f: f(aud="other-clinic"),
    "wrong issuer": lambda f: f(iss="http://evil.test"),
    "tampered payload": _tampered_payload,
    "unknown kid": _unknown_kid,
    "right kid, other key": _right_kid_wrong_key,
    "missing exp": lambda f: f(exp=None),
    "missing iat": lambda f: f(iat=None),
    "missing iss": lambda f: f(iss=None),
    "missing aud": lambda f: f(aud=None),
    "missing sub": lambda f: f(sub=None),
    "roles not a list": lambda f: f(roles="ROLE_ADMIN"),
    "roles holding non-strings": lambda f: f(roles=["ROLE_ADMIN", 1]),
    "not a JWT": lambda f: "not-a-token",
    "empty": lambda f: "",
    "two segments": lambda f: ".".join(f().split(".")[:2]),
}


@pytest.mark.parametrize("make", INVALID_TOKENS.values(), ids=INVALID_TOKENS.keys())
def test_invalid_tokens_are_refused(
    verifier: JwtVerifier, token_factory: TokenFactory, make: Any
) -> None:
    token = make(token_factory)

    with pytest.raises(InvalidTokenError):
        verifier.verify(token)


async def test_averify_from_async_code_fetches_in_a_worker_thread(
    test_jwks: dict[str, Any], token_factory: TokenFactory
) -> None:
    fetch_threads: list[int] = []

    def fetch() -> dict[str, Any]:
        fetch_threads.append(threading.get_ident())
        return test_jwks

    verifier = JwtVerifier(JwksCache(fetch), issuer=TEST_ISSUER, audience=TEST_AUDIENCE)

    first = await verifier.averify(token_factory(sub="5", roles=["ROLE_ADMIN"]))
    second = await verifier.averify(token_factory(sub="6", roles=[]))

    assert (first.user_id, first.roles) == ("5", ("ROLE_ADMIN",))
    assert (second.user_id, second.roles) == ("6", ())
    assert len(fetch_threads) == 1
    assert fetch_threads[0] != threading.get_ident()
    with pytest.raises(InvalidTokenError):
        await verifier.averify(token_factory(aud="elsewhere"))
