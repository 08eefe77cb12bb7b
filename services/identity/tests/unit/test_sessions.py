"""Refresh rotation and reuse detection, on an in-memory store."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest

from clinic_identity.sessions import (
    Issued,
    Rejection,
    SessionLimits,
    SessionState,
    TokenState,
    find_session_by_token,
    hash_refresh_token,
    new_refresh_token,
    rotate,
    start_session,
)

T0 = datetime(2026, 3, 2, 9, 0, 0)
LIFE = timedelta(hours=12)
# Tests of rotation alone: idle and maximum both 12 h, so a session ends 12 h after login.
FIXED = SessionLimits(idle=LIFE, maximum=LIFE)
IDLE = timedelta(hours=2)
MAXIMUM = timedelta(hours=10)
SLIDING = SessionLimits(idle=IDLE, maximum=MAXIMUM)


@dataclass
class FakeStore:
    """``SessionStore`` in dicts; ``lose_next_claim`` simulates a concurrent refresh winning."""

    sessions: dict[str, SessionState] = field(default_factory=dict)
    tokens: dict[str, TokenState] = field(default_factory=dict)
    revoked_reasons: dict[str, str] = field(default_factory=dict)
    lose_next_claim: bool = False

    def create_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None:
        self.sessions[session_id] = SessionState(
            session_id, user_id, expires_at, revoked=False, created_at=now
        )

    def get_session(self, session_id: str) -> SessionState | None:
        return self.sessions.get(session_id)

    def find_token(self, token_hash: str) -> TokenState | None:
        return self.tokens.get(token_hash)

    def add_token(self, session_id: str, token_hash: str, now: datetime) -> None:
        self.tokens[token_hash] = TokenState(session_id=session_id, rotated=False)

    def claim_token(self, token_hash: str, now: datetime) -> bool:
        if self.lose_next_claim:
            self.lose_next_claim = False
            return False
        token = self.tokens[token_hash]
        if token.rotated:
            return False
        self.tokens[token_hash] = replace(token, rotated=True)
        return True

    def revoke_session(self, session_id: str, now: datetime, reason: str) -> None:
        self.sessions[session_id] = replace(self.sessions[session_id], revoked=True)
        self.revoked_reasons.setdefault(session_id, reason)

    def extend_session(self, session_id: str, expires_at: datetime) -> None:
        self.sessions[session_id] = replace(self.sessions[session_id], expires_at=expires_at)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def _issued(outcome: Issued | Rejection) -> Issued:
    assert isinstance(outcome, Issued), outcome
    return outcome


def test_login_opens_a_session_and_stores_only_the_hash(store: FakeStore) -> None:
    issued = start_session(store, "user-1", T0, FIXED)
    assert issued.session.expires_at == T0 + LIFE
    assert issued.session.created_at == T0
    assert issued.session.user_id == "user-1"
    assert issued.refresh_token not in store.tokens
    assert hash_refresh_token(issued.refresh_token) in store.tokens
    assert len(issued.refresh_token) >= 43  # 256 bits, base64url


def test_every_use_rotates_within_the_same_family(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    first = _issued(rotate(store, login.refresh_token, T0 + timedelta(minutes=14), FIXED))
    second = _issued(rotate(store, first.refresh_token, T0 + timedelta(minutes=28), FIXED))
    assert len({login.refresh_token, first.refresh_token, second.refresh_token}) == 3
    assert first.session.id == second.session.id == login.session.id
    # With idle = maximum, rotation cannot extend the family: it still ends 12 h after login.
    assert second.session.expires_at == T0 + LIFE
    assert store.sessions[login.session.id].expires_at == T0 + LIFE
    assert second.renewable is False


def test_reusing_a_rotated_token_revokes_the_whole_family(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    current = _issued(rotate(store, login.refresh_token, T0, FIXED))
    assert rotate(store, login.refresh_token, T0, FIXED) is Rejection.REUSED
    assert store.sessions[login.session.id].revoked
    assert store.revoked_reasons[login.session.id] == "reused"
    # The legitimate holder's newer token dies with the family.
    assert rotate(store, current.refresh_token, T0, FIXED) is Rejection.REVOKED


def test_losing_a_concurrent_rotation_counts_as_reuse(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    store.lose_next_claim = True
    assert rotate(store, login.refresh_token, T0, FIXED) is Rejection.REUSED
    assert store.sessions[login.session.id].revoked


def test_unknown_token_is_refused_without_revoking_anything(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    assert rotate(store, "forged-token", T0, FIXED) is Rejection.UNKNOWN
    assert not store.sessions[login.session.id].revoked
    _issued(rotate(store, login.refresh_token, T0, FIXED))


def test_expired_family_is_refused(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    assert rotate(store, login.refresh_token, T0 + LIFE, FIXED) is Rejection.EXPIRED
    assert (
        rotate(store, login.refresh_token, T0 + LIFE - timedelta(seconds=1), FIXED)
        != Rejection.EXPIRED
    )


def test_families_are_independent(store: FakeStore) -> None:
    laptop = start_session(store, "user-1", T0, FIXED)
    phone = start_session(store, "user-1", T0, FIXED)
    _issued(rotate(store, laptop.refresh_token, T0, FIXED))
    assert rotate(store, laptop.refresh_token, T0, FIXED) is Rejection.REUSED
    _issued(rotate(store, phone.refresh_token, T0, FIXED))


def test_any_token_of_a_family_finds_it(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    _issued(rotate(store, login.refresh_token, T0, FIXED))
    found = find_session_by_token(store, login.refresh_token)
    assert found is not None
    assert found.id == login.session.id
    assert find_session_by_token(store, "nope") is None


# The edges below were found untested by mutation testing (docs/testing.md).


def test_a_family_long_expired_is_refused_not_only_at_its_last_second(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, FIXED)
    assert (
        rotate(store, login.refresh_token, T0 + LIFE + timedelta(days=3), FIXED)
        is Rejection.EXPIRED
    )


def test_a_new_session_is_live(store: FakeStore) -> None:
    assert start_session(store, "user-1", T0, FIXED).session.revoked is False


def test_refresh_tokens_carry_exactly_256_random_bits() -> None:
    tokens = {new_refresh_token() for _ in range(50)}
    assert len(tokens) == 50
    assert {len(token) for token in tokens} == {43}  # 32 bytes in unpadded base64url


# Sliding sessions: activity renews them for the idle lifetime, up to the admin's maximum.


def test_a_login_ends_after_the_idle_lifetime_and_can_be_renewed(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, SLIDING)
    assert login.session.expires_at == T0 + IDLE
    assert login.renewable is True


def test_a_maximum_shorter_than_the_idle_lifetime_ends_the_login_at_the_maximum(
    store: FakeStore,
) -> None:
    short = SessionLimits(idle=timedelta(hours=2), maximum=timedelta(hours=1))
    login = start_session(store, "user-1", T0, short)
    assert login.session.expires_at == T0 + timedelta(hours=1)
    assert login.renewable is False


def test_each_refresh_renews_the_session_for_the_idle_lifetime(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, SLIDING)
    later = T0 + timedelta(hours=1, minutes=50)
    renewed = _issued(rotate(store, login.refresh_token, later, SLIDING))
    assert renewed.session.expires_at == later + IDLE
    assert store.sessions[login.session.id].expires_at == later + IDLE
    assert renewed.renewable is True
    # Past the first idle end, the renewed session still works.
    _issued(rotate(store, renewed.refresh_token, T0 + timedelta(hours=3), SLIDING))


def test_an_idle_session_ends_at_its_idle_end(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, SLIDING)
    assert rotate(store, login.refresh_token, T0 + IDLE, SLIDING) is Rejection.EXPIRED
    # Long after it too, while the maximum is still hours away.
    later = T0 + IDLE + timedelta(hours=3)
    assert rotate(store, login.refresh_token, later, SLIDING) is Rejection.EXPIRED
    assert not store.sessions[login.session.id].revoked


def test_renewal_stops_at_the_maximum_and_a_refresh_beyond_it_is_refused(
    store: FakeStore,
) -> None:
    login = start_session(store, "user-1", T0, SLIDING)
    token = login.refresh_token
    for hour in range(1, 9):
        issued = _issued(rotate(store, token, T0 + timedelta(hours=hour), SLIDING))
        token = issued.refresh_token
    assert issued.session.expires_at == T0 + timedelta(hours=10)  # not 8 h + 2 h idle = 10 h
    assert issued.renewable is False
    nearly = _issued(rotate(store, token, T0 + MAXIMUM - timedelta(seconds=1), SLIDING))
    assert nearly.session.expires_at == T0 + MAXIMUM
    assert rotate(store, nearly.refresh_token, T0 + MAXIMUM, SLIDING) is Rejection.EXPIRED


def test_lowering_the_maximum_ends_a_longer_session_at_its_next_refresh(store: FakeStore) -> None:
    token = start_session(store, "user-1", T0, SLIDING).refresh_token
    for hour in range(1, 6):
        renewed = _issued(rotate(store, token, T0 + timedelta(hours=hour), SLIDING))
        token = renewed.refresh_token
    assert renewed.session.expires_at == T0 + timedelta(hours=7)
    lowered = SessionLimits(idle=IDLE, maximum=timedelta(hours=6))
    assert rotate(store, renewed.refresh_token, T0 + timedelta(hours=6), lowered) is (
        Rejection.EXPIRED
    )


def test_the_maximum_is_checked_even_when_the_stored_end_is_later(store: FakeStore) -> None:
    # A session renewed under a long maximum keeps its stored end; the new maximum still wins.
    login = start_session(store, "user-1", T0, SessionLimits(idle=IDLE, maximum=LIFE))
    lowered = SessionLimits(idle=IDLE, maximum=timedelta(hours=1))
    assert rotate(store, login.refresh_token, T0 + timedelta(hours=1), lowered) is (
        Rejection.EXPIRED
    )
    # Past the new maximum, not only at its last second, with the stored end still ahead.
    at_90_minutes = T0 + timedelta(minutes=90)
    assert rotate(store, login.refresh_token, at_90_minutes, lowered) is Rejection.EXPIRED
    renewed = _issued(rotate(store, login.refresh_token, T0 + timedelta(minutes=59), lowered))
    assert renewed.session.expires_at == T0 + timedelta(hours=1)
    assert renewed.renewable is False


@pytest.mark.parametrize(
    "value",
    [
        SessionState("s", "u", T0, revoked=False, created_at=T0),
        TokenState(session_id="s", rotated=False),
        Issued(SessionState("s", "u", T0, revoked=False, created_at=T0), "raw", renewable=True),
        SLIDING,
    ],
    ids=["SessionState", "TokenState", "Issued", "SessionLimits"],
)
def test_session_values_cannot_be_changed_after_the_fact(value: object) -> None:
    name = dataclasses.fields(value)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, "changed")
