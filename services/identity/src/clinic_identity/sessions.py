"""Refresh sessions: opaque tokens stored hashed, rotated on every use, reuse revokes the family.

A session lives ``idle`` past its last refresh (activity renews it) and never beyond ``maximum``
after its login, whatever the activity (the admin's absolute maximum).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, replace
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
    created_at: datetime


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lives: ``idle`` after each use, ``maximum`` after its login at most."""

    idle: timedelta
    maximum: timedelta

    def ends_at(self, created_at: datetime, now: datetime) -> datetime:
        """When a session opened at ``created_at`` ends if used at ``now`` and never again."""
        return min(now + self.idle, created_at + self.maximum)


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

    def extend_session(self, session_id: str, expires_at: datetime) -> None:
        """Move the session's end to ``expires_at`` (a rotation renews it)."""


class Rejection(StrEnum):
    """Why a refresh token was refused."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"


@dataclass(frozen=True)
class Issued:
    """A session and the refresh token the client must present next.

    ``renewable`` is False once the session's end is its maximum: activity cannot move it.
    """

    session: SessionState
    refresh_token: str
    renewable: bool


def start_session(
    store: SessionStore, user_id: str, now: datetime, limits: SessionLimits
) -> Issued:
    """Open a session for ``user_id`` (a login), ending ``limits.idle`` from now at the latest."""
    expires_at = limits.ends_at(now, now)
    session = SessionState(
        id=uuid.uuid4().hex, user_id=user_id, expires_at=expires_at, revoked=False, created_at=now
    )
    store.create_session(session.id, user_id, now, session.expires_at)
    raw = new_refresh_token()
    store.add_token(session.id, hash_refresh_token(raw), now)
    return Issued(session=session, refresh_token=raw, renewable=expires_at < now + limits.maximum)


def rotate(
    store: SessionStore, raw: str, now: datetime, limits: SessionLimits
) -> Issued | Rejection:
    """Exchange ``raw`` for a new token of the same family, or say why not.

    A token presented a second time means someone else holds a copy: the whole family is
    revoked, so the thief's copy and the victim's session both stop working. The caller must
    commit even on rejection, or the revocation is lost. A successful rotation renews the
    session for ``limits.idle``, never past ``limits.maximum`` after its login (read at each
    refresh, so lowering the maximum ends longer sessions at their next refresh).
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
    hard_end = session.created_at + limits.maximum
    if session.expires_at <= now or hard_end <= now:
        return Rejection.EXPIRED
    if token.rotated or not store.claim_token(token_hash, now):
        store.revoke_session(session.id, now, Rejection.REUSED.value)
        return Rejection.REUSED
    new_raw = new_refresh_token()
    store.add_token(session.id, hash_refresh_token(new_raw), now)
    expires_at = limits.ends_at(session.created_at, now)
    store.extend_session(session.id, expires_at)
    return Issued(
        session=replace(session, expires_at=expires_at),
        refresh_token=new_raw,
        renewable=expires_at < hard_end,
    )


def find_session_by_token(store: SessionStore, raw: str) -> SessionState | None:
    """The family a refresh token belongs to (rotated or not), for logout by cookie."""
    token = store.find_token(hash_refresh_token(raw))
    return None if token is None else store.get_session(token.session_id)
