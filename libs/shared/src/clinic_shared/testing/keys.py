"""Throw-away RSA keys and a token factory for tests (never used outside tests)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from clinic_shared.auth.jwks import public_jwk


@dataclass
class TestKey:
    """An RSA key pair with a ``kid``, as identity publishes them."""

    __test__ = False  # a helper, not a test class, despite the name

    kid: str
    private_key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def generate(cls, kid: str | None = None) -> TestKey:
        """A fresh 2048-bit key."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid=kid or uuid.uuid4().hex[:12], private_key=key)

    @property
    def private_pem(self) -> bytes:
        """PKCS#8 PEM of the private key."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def public_pem(self) -> bytes:
        """PEM of the public key."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk(self) -> dict[str, Any]:
        """The public JWK for a JWKS document."""
        return public_jwk(self.private_key.public_key(), self.kid)


@dataclass
class TokenFactory:
    """Signs access tokens like identity does, with overridable claims for negative tests."""

    key: TestKey
    issuer: str
    audience: str

    def claims(
        self, sub: str = "1", roles: list[str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        """Valid claims for ``sub``; ``None`` in overrides removes a claim."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": sub,
            "iat": now,
            "nbf": now,
            "exp": now + 900,
            "jti": uuid.uuid4().hex,
            "sid": uuid.uuid4().hex,
            "roles": roles if roles is not None else ["ROLE_ADMIN"],
            "name": "Test User",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def __call__(self, sub: str = "1", roles: list[str] | None = None, **overrides: Any) -> str:
        """A signed RS256 token."""
        return jwt.encode(
            self.claims(sub, roles, **overrides),
            self.key.private_pem,
            algorithm="RS256",
            headers={"kid": self.key.kid},
        )
