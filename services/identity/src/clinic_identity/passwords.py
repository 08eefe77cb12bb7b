"""Password hashing with argon2id, and the policy new passwords must meet."""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from clinic_identity.config import ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_TIME_COST

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable as a new password, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters long"
    if not password.strip():
        return "must not be only spaces"
    return None


class PasswordHasher:
    """argon2id with p=1 and at least the policy's memory and time cost."""

    def __init__(self, memory_kib: int, time_cost: int, max_concurrency: int = 4) -> None:
        if memory_kib < ARGON2_MIN_MEMORY_KIB or time_cost < ARGON2_MIN_TIME_COST:
            raise ValueError(
                f"argon2 parameters below policy (m >= {ARGON2_MIN_MEMORY_KIB} KiB, "
                f"t >= {ARGON2_MIN_TIME_COST})"
            )
        self._argon2 = Argon2Hasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID
        )
        self._slots = threading.BoundedSemaphore(max_concurrency)
        # Verified when the email is unknown, so both 401s cost one argon2 run.
        self._dummy_hash = self._argon2.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """A new argon2id hash of ``password`` (random salt)."""
        with self._slots:
            return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches; with no hash, burns the same time and returns False."""
        with self._slots:
            try:
                return self._argon2.verify(password_hash or self._dummy_hash, password) and (
                    password_hash is not None
                )
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the stored hash used other parameters than the configured ones."""
        return self._argon2.check_needs_rehash(password_hash)
