"""SQL persistence of refresh sessions and tokens (the ``SessionStore`` the service uses)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from clinic_identity.models import RefreshSession, RefreshToken
from clinic_identity.sessions import SessionState, TokenState

# Expired sessions are kept a while for the record, then purged at their owner's next login.
EXPIRED_SESSION_RETENTION = timedelta(days=7)


class SqlSessionStore:
    """``SessionStore`` on identity's database, inside the caller's transaction."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def create_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new, live session."""
        self.db.add(
            RefreshSession(
                id=session_id,
                user_id=user_id,
                created_at=now,
                expires_at=expires_at,
                last_used_at=now,
            )
        )
        self.db.flush()

    def get_session(self, session_id: str) -> SessionState | None:
        """The session, if it exists."""
        row = self.db.get(RefreshSession, session_id)
        if row is None:
            return None
        return SessionState(
            id=row.id,
            user_id=row.user_id,
            expires_at=row.expires_at,
            revoked=row.revoked_at is not None,
            created_at=row.created_at,
        )

    def find_token(self, token_hash: str) -> TokenState | None:
        """The token with this hash, if it exists."""
        row = self.db.get(RefreshToken, token_hash)
        if row is None:
            return None
        return TokenState(session_id=row.session_id, rotated=row.rotated_at is not None)

    def add_token(self, session_id: str, token_hash: str, now: datetime) -> None:
        """Store a new, unused token and note the session's last use."""
        self.db.add(RefreshToken(token_hash=token_hash, session_id=session_id, issued_at=now))
        self.db.execute(
            update(RefreshSession).where(RefreshSession.id == session_id).values(last_used_at=now)
        )

    def claim_token(self, token_hash: str, now: datetime) -> bool:
        """Mark the token rotated; the conditional UPDATE lets only one concurrent caller win."""
        result = self.db.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == token_hash, RefreshToken.rotated_at.is_(None))
            .values(rotated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def revoke_session(self, session_id: str, now: datetime, reason: str) -> None:
        """Revoke the whole family (keeping the first reason if already revoked)."""
        self.db.execute(
            update(RefreshSession)
            .where(RefreshSession.id == session_id, RefreshSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )

    def extend_session(self, session_id: str, expires_at: datetime) -> None:
        """Move the session's end (a rotation renews it for the idle lifetime)."""
        self.db.execute(
            update(RefreshSession)
            .where(RefreshSession.id == session_id)
            .values(expires_at=expires_at)
            .execution_options(synchronize_session=False)
        )


def revoke_user_sessions(
    db: Session, user_id: str, now: datetime, reason: str, *, keep: str | None = None
) -> None:
    """Revoke every live session of ``user_id`` except ``keep`` (the caller's own, if any)."""
    conditions = [RefreshSession.user_id == user_id, RefreshSession.revoked_at.is_(None)]
    if keep is not None:
        conditions.append(RefreshSession.id != keep)
    db.execute(
        update(RefreshSession)
        .where(*conditions)
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )


def session_is_live(db: Session, session_id: str, user_id: str, now: datetime) -> bool:
    """Whether ``session_id`` belongs to ``user_id``, is not revoked and has not expired."""
    found = db.execute(
        select(RefreshSession.id).where(
            RefreshSession.id == session_id,
            RefreshSession.user_id == user_id,
            RefreshSession.revoked_at.is_(None),
            RefreshSession.expires_at > now,
        )
    ).first()
    return found is not None


def purge_expired_sessions(db: Session, user_id: str, now: datetime) -> None:
    """Delete ``user_id``'s sessions (and their tokens) expired longer than the retention."""
    cutoff = now - EXPIRED_SESSION_RETENTION
    expired = select(RefreshSession.id).where(
        RefreshSession.user_id == user_id, RefreshSession.expires_at < cutoff
    )
    ids = list(db.scalars(expired))
    if ids:
        db.execute(delete(RefreshToken).where(RefreshToken.session_id.in_(ids)))
        db.execute(delete(RefreshSession).where(RefreshSession.id.in_(ids)))
