"""Refresh sessions: opaque tokens stored hashed, rotated on every use, reuse revokes the family."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

REFRESH_TOKEN_BYTES = 32


def new_refresh_token() -> str:
    """A fresh random refresh token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(raw: str) -> str:
    """What the database keeps of a refresh token: its SHA-256, hex."""
    # A plain hash suffices: the value is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SessionState:
    """What rotation needs to know about a token family."""

    id: str
    user_id: str
    expires_at: datetime
    revoked: bool


@dataclass(frozen=True)
class TokenState:
    """A stored refresh token: its family and whether it was already exchanged."""

    session_id: str
    rotated: bool


class SessionStore(Protocol):
    """Persistence of sessions and tokens (SQL in the service, a fake in unit tests)."""

    def create_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new, live session."""

    def get_session(self, session_id: str) -> SessionState | None:
        """The session, if it exists."""

    def find_token(self, token_hash: str) -> TokenState | None:
        """The token with this hash, if it exists."""

    def add_token(self, session_id: str, token_hash: str, now: datetime) -> None:
        """Store a new, unused token of ``session_id``."""

    def claim_token(self, token_hash: str, now: datetime) -> bool:
        """Mark the token rotated; False when it already was (a concurrent or replayed use)."""

    def revoke_session(self, session_id: str, now: datetime, reason: str) -> None:
        """Revoke the whole family."""


class Rejection(StrEnum):
    """Why a refresh token was refused."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"


@dataclass(frozen=True)
class Issued:
    """A session and the refresh token the client must present next."""

    session: SessionState
    refresh_token: str


def start_session(store: SessionStore, user_id: str, now: datetime, lifetime: timedelta) -> Issued:
    """Open a session for ``user_id`` (a login) ending at ``now + lifetime``."""
    session = SessionState(
        id=uuid.uuid4().hex, user_id=user_id, expires_at=now + lifetime, revoked=False
    )
    store.create_session(session.id, user_id, now, session.expires_at)
    raw = new_refresh_token()
    store.add_token(session.id, hash_refresh_token(raw), now)
    return Issued(session=session, refresh_token=raw)


def rotate(store: SessionStore, raw: str, now: datetime) -> Issued | Rejection:
    """Exchange ``raw`` for a new token of the same family, or say why not.

    A token presented a second time means someone else holds a copy: the whole family is
    revoked, so the thief's copy and the victim's session both stop working. The caller must
    commit even on rejection, or the revocation is lost.
    """
    token_hash = hash_refresh_token(raw)
    token = store.find_token(token_hash)
    if token is None:
        return Rejection.UNKNOWN
    session = store.get_session(token.session_id)
    if session is None:
        return Rejection.UNKNOWN
    if session.revoked:
        return Rejection.REVOKED
    if session.expires_at <= now:
        return Rejection.EXPIRED
    if token.rotated or not store.claim_token(token_hash, now):
        store.revoke_session(session.id, now, Rejection.REUSED.value)
        return Rejection.REUSED
    new_raw = new_refresh_token()
    store.add_token(session.id, hash_refresh_token(new_raw), now)
    return Issued(session=session, refresh_token=new_raw)


def find_session_by_token(store: SessionStore, raw: str) -> SessionState | None:
    """The family a refresh token belongs to (rotated or not), for logout by cookie."""
    token = store.find_token(hash_refresh_token(raw))
    return None if token is None else store.get_session(token.session_id)
