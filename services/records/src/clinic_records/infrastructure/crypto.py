"""AES-GCM encryption of the clinical text at rest, with a key ring so keys can rotate.

A stored value is ``<key id>:<base64(nonce || ciphertext+tag)>``: the id names the key that
sealed it, so after a rotation (a new key first in ``RECORDS_ENCRYPTION_KEYS``, the old ones
kept after it) old rows still open while new ones use the new key. The associated data binds a
value to its column and row, so a ciphertext copied into another row or column does not open.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

NONCE_BYTES = 12
KEY_BYTES = 32
DEV_KEY_FILENAME = "dev-records-key"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


class KeyRingError(ValueError):
    """The configured keys are malformed, or a value names a key the ring lacks."""


@dataclass(frozen=True)
class DataKey:
    """One AES-256 key and the id stored beside every value it seals."""

    key_id: str
    secret: bytes = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> DataKey:
        """``id:base64key`` → the key; raises KeyRingError naming what is wrong."""
        key_id, sep, encoded = text.strip().partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyRingError("each key must be id:base64key with an id of [A-Za-z0-9_-]{1,20}")
        try:
            secret = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise KeyRingError(f"key {key_id!r} is not valid base64") from exc
        if len(secret) != KEY_BYTES:
            raise KeyRingError(f"key {key_id!r} must be {KEY_BYTES} bytes (AES-256)")
        return cls(key_id, secret)

    def text(self) -> str:
        """The ``id:base64key`` form (what the dev key file holds)."""
        return f"{self.key_id}:{base64.b64encode(self.secret).decode()}"


class Cipher:
    """Seals with the ring's first key, opens with whichever key a value names."""

    def __init__(self, keys: list[DataKey]) -> None:
        if not keys:
            raise KeyRingError("an encryption key ring needs at least one key")
        ids = [key.key_id for key in keys]
        if len(set(ids)) != len(ids):
            raise KeyRingError("the same key id is configured twice")
        self.current = keys[0]
        self._aead = {key.key_id: AESGCM(key.secret) for key in keys}

    @classmethod
    def from_text(cls, text: str) -> Cipher:
        """The ring of ``id:base64key,id:base64key`` (first = current)."""
        return cls([DataKey.parse(part) for part in text.split(",") if part.strip()])

    def seal(self, plain: str, context: str) -> str:
        """``plain`` encrypted with the current key, bound to ``context`` (column and row)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self.current.key_id].encrypt(nonce, plain.encode(), context.encode())
        return f"{self.current.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, stored: str, context: str) -> str:
        """The plain text of ``stored``; KeyRingError for an unknown key or an altered value."""
        key_id, _, encoded = stored.partition(":")
        aead = self._aead.get(key_id)
        if aead is None:
            raise KeyRingError(f"no key {key_id!r} in the ring (was it removed too early?)")
        raw = base64.b64decode(encoded)
        try:
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
        except InvalidTag as exc:
            raise KeyRingError(f"a value sealed with {key_id!r} does not open here") from exc

    def seal_optional(self, plain: str | None, context: str) -> str | None:
        """``seal`` keeping None (an empty section) as None."""
        return None if plain is None else self.seal(plain, context)

    def open_optional(self, stored: str | None, context: str) -> str | None:
        """``open`` keeping None as None."""
        return None if stored is None else self.open(stored, context)


def new_key(key_id: str) -> DataKey:
    """A fresh random AES-256 key."""
    return DataKey(key_id, secrets.token_bytes(KEY_BYTES))


def load_cipher(configured: str, app_env: str, keys_dir: Path) -> Cipher:
    """The configured ring, or (dev/test only) the generated development key."""
    if configured.strip():
        return Cipher.from_text(configured)
    if app_env == "prod":
        raise RuntimeError("RECORDS_ENCRYPTION_KEYS must hold the encryption keys in production")
    return Cipher([dev_key(keys_dir)])


def dev_key(keys_dir: Path) -> DataKey:
    """Read the development key in ``keys_dir``, generating it (mode 0600) on first use."""
    path = keys_dir / DEV_KEY_FILENAME
    if path.exists():
        return DataKey.parse(path.read_text())
    keys_dir.mkdir(parents=True, exist_ok=True)
    key = new_key("dev1")
    fd, tmp_name = tempfile.mkstemp(dir=keys_dir, prefix=".tmp-", suffix=".key")
    try:
        with os.fdopen(fd, "w") as tmp:
            tmp.write(key.text())
        os.chmod(tmp_name, 0o600)
        # link() fails if another worker created the key first: then everyone uses that one.
        os.link(tmp_name, path)
        log.warning(
            "generated a development encryption key at %s (never use it in production)", path
        )
    except FileExistsError:
        return DataKey.parse(path.read_text())
    finally:
        os.unlink(tmp_name)
    return key


class SealedAnswers:
    """The idempotency store's seal: a POST's stored answer (an entry, a measure) is clinical
    text too, kept for the key's 24 hours, so it is sealed like the records themselves."""

    CONTEXT = "idempotency_keys.body"

    def __init__(self, cipher: Cipher) -> None:
        self._cipher = cipher

    def seal(self, plain: str) -> str:
        """``plain`` sealed with the current key."""
        return self._cipher.seal(plain, self.CONTEXT)

    def open(self, stored: str) -> str:
        """The answer as it was sent."""
        return self._cipher.open(stored, self.CONTEXT)
