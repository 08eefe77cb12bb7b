"""Password policy and argon2id parameters."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clinic_identity.config import ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_TIME_COST, IdentitySettings
from clinic_identity.passwords import PasswordHasher, password_problem


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_TIME_COST)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("1234567", False),
        ("12345678", True),
        ("        ", False),
        ("x" * 128, True),
        ("x" * 129, False),
        ("contraseña segura", True),
    ],
)
def test_password_policy(password: str, accepted: bool) -> None:
    assert (password_problem(password) is None) is accepted


def test_hashes_are_argon2id_with_configured_parameters(hasher: PasswordHasher) -> None:
    encoded = hasher.hash("demo1234")
    assert encoded.startswith(f"$argon2id$v=19$m={ARGON2_MIN_MEMORY_KIB},t=2,p=1$")
    assert hasher.hash("demo1234") != encoded  # random salt


def test_verify_accepts_only_the_exact_password(hasher: PasswordHasher) -> None:
    encoded = hasher.hash(" with spaces ")
    assert hasher.verify(encoded, " with spaces ")
    assert not hasher.verify(encoded, "with spaces")
    assert not hasher.verify(encoded, " With spaces ")


def test_verify_without_a_hash_is_false(hasher: PasswordHasher) -> None:
    assert hasher.verify(None, "anything") is False


def test_garbage_hash_is_a_mismatch_not_an_error(hasher: PasswordHasher) -> None:
    assert hasher.verify("not-a-hash", "demo1234") is False


@pytest.mark.parametrize(
    ("memory_kib", "time_cost"),
    [(ARGON2_MIN_MEMORY_KIB - 1, 2), (ARGON2_MIN_MEMORY_KIB, 1)],
)
def test_parameters_below_policy_are_refused(memory_kib: int, time_cost: int) -> None:
    with pytest.raises(ValueError, match="below policy"):
        PasswordHasher(memory_kib, time_cost)
    with pytest.raises(ValidationError):
        IdentitySettings(argon2_memory_kib=memory_kib, argon2_time_cost=time_cost)


def test_default_settings_meet_the_policy() -> None:
    settings = IdentitySettings()
    assert settings.argon2_memory_kib >= 19 * 1024
    assert settings.argon2_time_cost >= 2


def test_needs_rehash_when_parameters_change(hasher: PasswordHasher) -> None:
    stronger = PasswordHasher(ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_TIME_COST + 1)
    encoded = hasher.hash("demo1234")
    assert not hasher.needs_rehash(encoded)
    assert stronger.needs_rehash(encoded)
    assert stronger.verify(encoded, "demo1234")  # old hashes keep working
