"""Signing keys: loaded from PEM files (first signs, all published) or generated for dev/test."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from clinic_identity.config import IdentitySettings
from clinic_shared.auth import public_jwk

log = logging.getLogger(__name__)

MIN_RSA_BITS = 2048
DEV_KEY_FILENAME = "dev-signing-key.pem"


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key and its ``kid`` (the RFC 7638 thumbprint of its public key)."""

    kid: str
    private_key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> SigningKey:
        """Wrap a key, deriving a ``kid`` that is the same on every replica and restart."""
        return cls(kid=jwk_thumbprint(private_key.public_key()), private_key=private_key)

    @classmethod
    def from_pem(cls, pem: bytes, source: str = "key") -> SigningKey:
        """Load an unencrypted PEM private key; must be RSA of at least 2048 bits."""
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{source}: not an RSA private key")
        if key.key_size < MIN_RSA_BITS:
            raise ValueError(f"{source}: RSA key has {key.key_size} bits, at least 2048 needed")
        return cls.from_private_key(key)

    @property
    def private_pem(self) -> bytes:
        """PKCS#8 PEM of the private key (what PyJWT signs with)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 SHA-256 thumbprint of an RSA public key, base64url without padding."""
    jwk = public_jwk(public_key, kid="")
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class KeyRing:
    """The keys identity holds: the first signs new tokens, all verify and are published."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        kids = [key.kid for key in keys]
        if len(set(kids)) != len(kids):
            raise ValueError("the same signing key is configured twice")
        self.keys = tuple(keys)

    @property
    def signing_key(self) -> SigningKey:
        """The key new tokens are signed with."""
        return self.keys[0]

    def jwks(self) -> dict[str, Any]:
        """The public JWKS document (``/.well-known/jwks.json``)."""
        return {"keys": [public_jwk(key.private_key.public_key(), key.kid) for key in self.keys]}


def load_keyring(settings: IdentitySettings) -> KeyRing:
    """The configured key files, or (dev/test only) a key generated once under var/keys/."""
    if settings.signing_key_files:
        return KeyRing(
            [
                SigningKey.from_pem(path.read_bytes(), str(path))
                for path in settings.signing_key_files
            ]
        )
    if settings.app_env == "prod":
        raise RuntimeError("IDENTITY_SIGNING_KEY_FILES must name the signing keys in production")
    return KeyRing([dev_signing_key(settings.keys_dir)])


def dev_signing_key(keys_dir: Path) -> SigningKey:
    """Read the development key in ``keys_dir``, generating it (mode 0600) on first use."""
    path = keys_dir / DEV_KEY_FILENAME
    if path.exists():
        return SigningKey.from_pem(path.read_bytes(), str(path))
    keys_dir.mkdir(parents=True, exist_ok=True)
    key = SigningKey.from_private_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    fd, tmp_name = tempfile.mkstemp(dir=keys_dir, prefix=".tmp-", suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(key.private_pem)
        os.chmod(tmp_name, 0o600)
        # link() fails if another worker created the key first: then everyone uses that one.
        os.link(tmp_name, path)
        log.warning("generated a development signing key at %s (never use it in production)", path)
    except FileExistsError:
        return SigningKey.from_pem(path.read_bytes(), str(path))
    finally:
        os.unlink(tmp_name)
    return key
