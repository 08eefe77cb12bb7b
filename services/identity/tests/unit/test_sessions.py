"""Refresh rotation and reuse detection, on an in-memory store."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest

from clinic_identity.sessions import (
    Issued,
    Rejection,
    SessionState,
    TokenState,
    find_session_by_token,
    hash_refresh_token,
    rotate,
    start_session,
)

T0 = datetime(2026, 3, 2, 9, 0, 0)
LIFE = timedelta(hours=12)


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
        self.sessions[session_id] = SessionState(session_id, user_id, expires_at, revoked=False)

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


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def _issued(outcome: Issued | Rejection) -> Issued:
    assert isinstance(outcome, Issued), outcome
    return outcome


def test_login_opens_a_session_and_stores_only_the_hash(store: FakeStore) -> None:
    issued = start_session(store, "user-1", T0, LIFE)
    assert issued.session.expires_at == T0 + LIFE
    assert issued.session.user_id == "user-1"
    assert issued.refresh_token not in store.tokens
    assert hash_refresh_token(issued.refresh_token) in store.tokens
    assert len(issued.refresh_token) >= 43  # 256 bits, base64url


def test_every_use_rotates_within_the_same_family(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    first = _issued(rotate(store, login.refresh_token, T0 + timedelta(minutes=14)))
    second = _issued(rotate(store, first.refresh_token, T0 + timedelta(minutes=28)))
    assert len({login.refresh_token, first.refresh_token, second.refresh_token}) == 3
    assert first.session.id == second.session.id == login.session.id
    # Rotation does not extend the family: it still ends 12 h after login.
    assert second.session.expires_at == T0 + LIFE


def test_reusing_a_rotated_token_revokes_the_whole_family(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    current = _issued(rotate(store, login.refresh_token, T0))
    assert rotate(store, login.refresh_token, T0) is Rejection.REUSED
    assert store.sessions[login.session.id].revoked
    assert store.revoked_reasons[login.session.id] == "reused"
    # The legitimate holder's newer token dies with the family.
    assert rotate(store, current.refresh_token, T0) is Rejection.REVOKED


def test_losing_a_concurrent_rotation_counts_as_reuse(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    store.lose_next_claim = True
    assert rotate(store, login.refresh_token, T0) is Rejection.REUSED
    assert store.sessions[login.session.id].revoked


def test_unknown_token_is_refused_without_revoking_anything(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    assert rotate(store, "forged-token", T0) is Rejection.UNKNOWN
    assert not store.sessions[login.session.id].revoked
    _issued(rotate(store, login.refresh_token, T0))


def test_expired_family_is_refused(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    assert rotate(store, login.refresh_token, T0 + LIFE) is Rejection.EXPIRED
    assert rotate(store, login.refresh_token, T0 + LIFE - timedelta(seconds=1)) != Rejection.EXPIRED


def test_families_are_independent(store: FakeStore) -> None:
    laptop = start_session(store, "user-1", T0, LIFE)
    phone = start_session(store, "user-1", T0, LIFE)
    _issued(rotate(store, laptop.refresh_token, T0))
    assert rotate(store, laptop.refresh_token, T0) is Rejection.REUSED
    _issued(rotate(store, phone.refresh_token, T0))


def test_any_token_of_a_family_finds_it(store: FakeStore) -> None:
    login = start_session(store, "user-1", T0, LIFE)
    _issued(rotate(store, login.refresh_token, T0))
    found = find_session_by_token(store, login.refresh_token)
    assert found is not None
    assert found.id == login.session.id
    assert find_session_by_token(store, "nope") is None
