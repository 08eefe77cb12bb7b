"""The forged-token suite every service runs against one of its token-protected routes.

A service's test parametrises over ``FORGED_TOKEN_CASES`` and sends
``kit.headers(case)``; ``assert_refused`` checks the answer is a 401 problem+json. Billing and
records get the whole suite by calling it the same way::

    @pytest.mark.parametrize("case", FORGED_TOKEN_CASES)
    def test_forged_token_is_refused(case, client, token_factory):
        kit = ForgeryKit.from_factory(token_factory)
        assert_refused(client.get("/api/things", headers=kit.headers(case)))

``kit.headers("valid")`` is the control: the same route must accept a genuine token, so a 401
for the forgeries means the token was refused, not the request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from clinic_shared.auth.jwks import public_jwk
from clinic_shared.testing.keys import TokenFactory

# name -> what it is (the ids of the parametrised tests).
FORGED_TOKEN_CASES: dict[str, str] = {
    "none": "no Authorization header",
    "malformed": "a bearer value that is not a JWT",
    "not-bearer": "a genuine token under another scheme (Basic)",
    "alg-none": "alg none, no signature",
    "alg-none-with-signature": "alg none, the genuine signature kept",
    "hs256-with-public-key": "HS256 keyed with the server's public key PEM",
    "hs256-with-kid-as-secret": "HS256 keyed with the kid",
    "foreign-key": "RS256 by an unknown key under the genuine kid",
    "foreign-kid": "RS256 by an unknown key under its own kid",
    "jku-injection": "foreign key, header jku pointing at the attacker's JWKS",
    "jwk-injection": "foreign key, its public JWK embedded in the header",
    "x5u-injection": "foreign key, header x5u pointing at the attacker's certificate",
    "kid-path-traversal": "kid ../../../../dev/null, HS256 with an empty secret",
    "kid-sql-injection": "kid ' OR '1'='1, signed by a foreign key",
    "tampered-claims": "genuine signature, roles changed afterwards",
    "wrong-audience": "genuine key, aud of another system",
    "wrong-issuer": "genuine key, iss of another issuer",
    "expired": "genuine key, exp an hour ago",
    "not-yet-valid": "genuine key, nbf and iat an hour ahead",
    "no-expiry": "genuine key, no exp claim",
}


class _Response(Protocol):
    status_code: int

    @property
    def headers(self) -> Any: ...


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: dict[str, Any]) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


@dataclass
class ForgeryKit:
    """Forges tokens against a service that trusts ``private_key`` (published under ``kid``)."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    kid: str
    issuer: str
    audience: str
    sub: str = "1"
    roles: tuple[str, ...] = ("ROLE_ADMIN",)
    foreign_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        repr=False,
    )

    @classmethod
    def from_factory(cls, factory: TokenFactory, **kwargs: Any) -> ForgeryKit:
        """A kit for services that trust the test key of ``clinic_shared.testing``."""
        return cls(
            private_key=factory.key.private_key,
            kid=factory.key.kid,
            issuer=factory.issuer,
            audience=factory.audience,
            **kwargs,
        )

    def claims(self, **changes: Any) -> dict[str, Any]:
        """Genuine claims; ``None`` in ``changes`` removes a claim."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": self.sub,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "jti": uuid.uuid4().hex,
            "sid": uuid.uuid4().hex,
            "roles": list(self.roles),
            "name": "Forged",
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    @staticmethod
    def _rs256(key: rsa.RSAPrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
        signing_input = f"{_segment(header)}.{_segment(claims)}"
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    @staticmethod
    def _hs256(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
        signing_input = f"{_segment(header)}.{_segment(claims)}"
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"

    def genuine(self, **changes: Any) -> str:
        """Signed by the trusted key (with claim ``changes``)."""
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        return self._rs256(self.private_key, header, self.claims(**changes))

    def token(self, case: str) -> str | None:
        """The forged token of ``case`` (``None``: no token at all)."""
        rs = {"alg": "RS256", "typ": "JWT"}
        foreign_kid = "attacker-" + uuid.uuid4().hex[:8]
        foreign_jwk = public_jwk(self.foreign_key.public_key(), foreign_kid)
        public_pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        now = int(time.time())
        forged: dict[str, Any] = {
            "valid": lambda: self.genuine(),
            "none": lambda: None,
            "malformed": lambda: "not.a.jwt",
            "alg-none": lambda: (
                f"{_segment({'alg': 'none', 'kid': self.kid})}.{_segment(self.claims())}."
            ),
            "alg-none-with-signature": lambda: ".".join(
                [_segment({"alg": "none", "kid": self.kid}), *self.genuine().split(".")[1:]]
            ),
            "hs256-with-public-key": lambda: self._hs256(
                public_pem, {"alg": "HS256", "typ": "JWT", "kid": self.kid}, self.claims()
            ),
            "hs256-with-kid-as-secret": lambda: self._hs256(
                self.kid.encode(), {"alg": "HS256", "kid": self.kid}, self.claims()
            ),
            "foreign-key": lambda: self._rs256(
                self.foreign_key, {**rs, "kid": self.kid}, self.claims()
            ),
            "foreign-kid": lambda: self._rs256(
                self.foreign_key, {**rs, "kid": foreign_kid}, self.claims()
            ),
            "jku-injection": lambda: self._rs256(
                self.foreign_key,
                {**rs, "kid": foreign_kid, "jku": "https://attacker.example/jwks.json"},
                self.claims(),
            ),
            "jwk-injection": lambda: self._rs256(
                self.foreign_key, {**rs, "kid": foreign_kid, "jwk": foreign_jwk}, self.claims()
            ),
            "x5u-injection": lambda: self._rs256(
                self.foreign_key,
                {**rs, "kid": self.kid, "x5u": "https://attacker.example/cert.pem"},
                self.claims(),
            ),
            "kid-path-traversal": lambda: self._hs256(
                b"", {"alg": "HS256", "kid": "../../../../../../dev/null"}, self.claims()
            ),
            "kid-sql-injection": lambda: self._rs256(
                self.foreign_key, {**rs, "kid": "' OR '1'='1"}, self.claims()
            ),
            "tampered-claims": lambda: self._tampered(),
            "wrong-audience": lambda: self.genuine(aud="another-system"),
            "wrong-issuer": lambda: self.genuine(iss="https://attacker.example"),
            "expired": lambda: self.genuine(iat=now - 7200, nbf=now - 7200, exp=now - 3600),
            "not-yet-valid": lambda: self.genuine(iat=now + 3600, nbf=now + 3600, exp=now + 4200),
            "no-expiry": lambda: self.genuine(exp=None),
        }
        token: str | None = forged[case]()
        return token

    def _tampered(self) -> str:
        header, _claims, signature = self.genuine(roles=["ROLE_RECEPTIONIST"]).split(".")
        return f"{header}.{_segment(self.claims(roles=['ROLE_ADMIN']))}.{signature}"

    def headers(self, case: str) -> dict[str, str]:
        """The request headers carrying ``case``'s token."""
        if case == "not-bearer":
            return {"Authorization": f"Basic {self.genuine()}"}
        token = self.token(case)
        return {} if token is None else {"Authorization": f"Bearer {token}"}


def assert_refused(response: _Response, case: str = "") -> None:
    """401 as problem+json (the answer every forged or missing token must get)."""
    assert response.status_code == 401, (
        f"{case}: {response.status_code} {getattr(response, 'text', '')}"
    )
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/problem+json"), f"{case}: {content_type}"
