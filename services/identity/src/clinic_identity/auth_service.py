"""Use cases of signing in and out: login, refresh, logout, own password, live-session checks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic_identity.models import RefreshSession, User
from clinic_identity.passwords import PasswordHasher
from clinic_identity.session_policy import session_limits
from clinic_identity.session_store import (
    SqlSessionStore,
    purge_expired_sessions,
    revoke_user_sessions,
)
from clinic_identity.sessions import Issued, Rejection, find_session_by_token, rotate, start_session
from clinic_identity.throttle import LoginThrottle, LoginThrottledError
from clinic_identity.tokens import AccessToken, TokenIssuer
from clinic_shared.auth import Principal
from clinic_shared.clock import utcnow
from clinic_shared.errors import FieldError
from clinic_shared.problems import ProblemError

log = logging.getLogger(__name__)

_INVALID_CREDENTIALS = "The email or password is not correct, or the account is disabled."
_INVALID_REFRESH = "The session has ended. Please sign in again."


@dataclass(frozen=True)
class SignInParts:
    """What checking a password and opening a session use (built from identity's services)."""

    throttle: LoginThrottle
    hasher: PasswordHasher
    tokens: TokenIssuer
    # How long a session lives after its last refresh (the admin's maximum caps it).
    idle_lifetime: timedelta
    # Naive UTC for the DATETIME columns; read after the password check, which may have
    # waited for a free argon2 slot, so sessions and tokens start when they are issued.
    clock: Callable[[], datetime] = utcnow


@dataclass(frozen=True)
class SignedIn:
    """What a login or refresh hands the client: tokens, the session's end and the user.

    ``session_renewable`` is False once the session ends at its maximum: only a new login
    lets the user stay longer.
    """

    access: AccessToken
    refresh_token: str
    refresh_expires_at: datetime
    user: User
    session_renewable: bool


def _epoch(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def _signed_in(tokens: TokenIssuer, user: User, issued: Issued, now: datetime) -> SignedIn:
    access = tokens.issue(
        user_id=user.id,
        session_id=issued.session.id,
        roles=user.roles,
        name=user.full_name,
        now=_epoch(now),
    )
    return SignedIn(access, issued.refresh_token, issued.session.expires_at, user, issued.renewable)


def _check_throttle(throttle: LoginThrottle, email: str, ip: str) -> None:
    try:
        throttle.check(email, ip)
    except LoginThrottledError as exc:
        raise ProblemError(
            429,
            "Too many failed sign-in attempts. Wait before trying again.",
            headers={"Retry-After": str(exc.retry_after)},
            extra={"retryAfter": exc.retry_after},
        ) from exc
    except redis.RedisError as exc:
        # Failing closed: without the throttle, passwords could be guessed at full speed.
        log.error("login throttle unavailable: %s", exc)
        raise ProblemError(503, "Sign-in is temporarily unavailable.") from exc


def _record(action: Callable[..., None], *args: str) -> None:
    # The attempt is already decided; a Redis hiccup while counting it must not turn into a 500.
    try:
        action(*args)
    except redis.RedisError as exc:
        log.error("login throttle could not record an attempt: %s", exc)


def login(db: Session, parts: SignInParts, email: str, password: str, ip: str) -> SignedIn:
    """Check the credentials (throttled) and open a refresh session."""
    email = email.strip().lower()
    _check_throttle(parts.throttle, email, ip)
    with db.begin():
        user = db.scalar(select(User).where(User.email == email))
    # argon2 runs outside any transaction: no connection is held for its 0.1-0.2 s.
    password_ok = parts.hasher.verify(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.active:
        _record(parts.throttle.record_failure, email, ip)
        raise ProblemError(401, _INVALID_CREDENTIALS)
    rehashed = None
    if parts.hasher.needs_rehash(user.password_hash):
        rehashed = parts.hasher.hash(password)
    now = parts.clock()
    with db.begin():
        purge_expired_sessions(db, user.id, now)
        limits = session_limits(db, parts.idle_lifetime)
        issued = start_session(SqlSessionStore(db), user.id, now, limits)
        if rehashed is not None:
            # A Core UPDATE: new hash parameters are not an edit, so the version stays.
            db.execute(update(User).where(User.id == user.id).values(password_hash=rehashed))
    _record(parts.throttle.record_success, email)
    return _signed_in(parts.tokens, user, issued, now)


def refresh(
    db: Session, tokens: TokenIssuer, raw_token: str | None, now: datetime, idle: timedelta
) -> SignedIn:
    """Rotate the refresh token and issue a new access token; reuse revokes the family.

    The session is renewed for ``idle`` but never past the admin's maximum: beyond it, 401.
    """
    if not raw_token:
        raise ProblemError(401, _INVALID_REFRESH)
    with db.begin():
        store = SqlSessionStore(db)
        outcome = rotate(store, raw_token, now, session_limits(db, idle))
        user = None
        if isinstance(outcome, Issued):
            user = db.get(User, outcome.session.user_id)
            if user is None or not user.active:
                store.revoke_session(outcome.session.id, now, "inactive")
                outcome = Rejection.REVOKED
    # Committed before refusing: a detected reuse must leave the family revoked.
    if isinstance(outcome, Rejection) or user is None:
        log.info("refresh refused: %s", outcome)
        raise ProblemError(401, _INVALID_REFRESH)
    return _signed_in(tokens, user, outcome, now)


def logout(db: Session, principal: Principal | None, raw_token: str | None) -> None:
    """Revoke the session of the access token and/or of the refresh token presented."""
    now = utcnow()
    with db.begin():
        store = SqlSessionStore(db)
        if principal is not None and principal.session_id:
            session = store.get_session(principal.session_id)
            if session is not None and session.user_id == principal.user_id:
                store.revoke_session(session.id, now, "logout")
        if raw_token:
            found = find_session_by_token(store, raw_token)
            if found is not None:
                store.revoke_session(found.id, now, "logout")


def load_live_user(db: Session, principal: Principal) -> User | None:
    """The caller's user when the token's session is still live and the account active."""
    if not principal.session_id:
        return None
    with db.begin():
        return db.scalar(
            select(User)
            .join(RefreshSession, RefreshSession.user_id == User.id)
            .where(
                User.id == principal.user_id,
                User.active.is_(True),
                RefreshSession.id == principal.session_id,
                RefreshSession.revoked_at.is_(None),
                RefreshSession.expires_at > utcnow(),
            )
        )


def change_own_password(
    db: Session,
    parts: SignInParts,
    principal: Principal,
    user: User,
    *,
    current: str,
    new: str,
    ip: str,
) -> None:
    """Replace the caller's password after checking the current one; other sessions end."""
    # Throttled like a login: a stolen access token must not become a password oracle.
    _check_throttle(parts.throttle, user.email, ip)
    if not parts.hasher.verify(user.password_hash, current):
        _record(parts.throttle.record_failure, user.email, ip)
        raise FieldError("currentPassword", "is not correct")
    new_hash = parts.hasher.hash(new)
    now = parts.clock()
    with db.begin():
        fresh = db.get(User, user.id, with_for_update=True, populate_existing=True)
        if fresh is None:
            raise ProblemError(401, "Your account no longer exists.")
        fresh.password_hash = new_hash
        fresh.updated_at = now
        revoke_user_sessions(db, fresh.id, now, "password-changed", keep=principal.session_id)
    _record(parts.throttle.record_success, user.email)
