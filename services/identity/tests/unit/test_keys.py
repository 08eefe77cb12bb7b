"""Signing keys: kids, key rings, files, development keys and the production guard."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError

from clinic_identity.config import IdentitySettings
from clinic_identity.keys import (
    DEV_KEY_FILENAME,
    KeyRing,
    SigningKey,
    dev_signing_key,
    jwk_thumbprint,
    load_keyring,
)
from clinic_shared.testing.keys import TestKey

PROD_DB = "mysql+pymysql://identity@db.internal/clinic_identity"


def _b64_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def test_kid_is_the_rfc7638_thumbprint() -> None:
    # The example key and thumbprint of RFC 7638 section 3.1.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
        "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
        "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhA"
        "I4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    public_key = rsa.RSAPublicNumbers(_b64_int("AQAB"), _b64_int(n)).public_key()
    assert jwk_thumbprint(public_key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_the_same_pem_always_gets_the_same_kid() -> None:
    pem = TestKey.generate().private_pem
    assert SigningKey.from_pem(pem).kid == SigningKey.from_pem(pem).kid


def test_first_key_signs_and_all_are_published() -> None:
    first, second = (SigningKey.from_pem(TestKey.generate().private_pem) for _ in range(2))
    ring = KeyRing([first, second])
    assert ring.signing_key is first
    published = ring.jwks()["keys"]
    assert [k["kid"] for k in published] == [first.kid, second.kid]
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in published)


def test_a_ring_needs_distinct_keys() -> None:
    key = SigningKey.from_pem(TestKey.generate().private_pem)
    with pytest.raises(ValueError, match="twice"):
        KeyRing([key, key])
    with pytest.raises(ValueError, match="at least one"):
        KeyRing([])


def test_weak_or_non_rsa_keys_are_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    for key, message in ((weak, "2048"), (ec_key, "not an RSA")):
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(ValueError, match=message):
            SigningKey.from_pem(pem)


def test_key_files_are_loaded_in_order(tmp_path: Path) -> None:
    paths = []
    for name in ("new.pem", "old.pem"):
        path = tmp_path / name
        path.write_bytes(TestKey.generate().private_pem)
        paths.append(path)
    ring = load_keyring(IdentitySettings(signing_key_files=paths, var_dir=tmp_path))
    assert ring.signing_key.kid == SigningKey.from_pem(paths[0].read_bytes()).kid
    assert len(ring.keys) == 2
    assert not (tmp_path / "keys").exists()  # no dev key when files are configured


def test_dev_key_is_generated_once_with_owner_only_permissions(tmp_path: Path) -> None:
    first = dev_signing_key(tmp_path / "keys")
    path = tmp_path / "keys" / DEV_KEY_FILENAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dev_signing_key(tmp_path / "keys").kid == first.kid
    assert [p.name for p in (tmp_path / "keys").iterdir()] == [DEV_KEY_FILENAME]


def test_dev_settings_without_files_use_the_generated_key(tmp_path: Path) -> None:
    ring = load_keyring(IdentitySettings(var_dir=tmp_path, app_env="dev"))
    assert (tmp_path / "keys" / DEV_KEY_FILENAME).exists()
    assert len(ring.keys) == 1


def test_production_refuses_generated_dev_keys(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="signing_key_files"):
        IdentitySettings(app_env="prod", database_url=PROD_DB, redis_url="redis://cache:6379/0")
    key_file = tmp_path / "prod.pem"
    key_file.write_bytes(TestKey.generate().private_pem)
    settings = IdentitySettings(
        app_env="prod",
        database_url=PROD_DB,
        redis_url="redis://cache:6379/0",
        signing_key_files=[key_file],
    )
    assert settings.unsafe_for_production() == []
