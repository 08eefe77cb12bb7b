"""Use cases of managing users: one explicit transaction each, the change and its event together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clinic_identity.models import User
from clinic_identity.passwords import PasswordHasher
from clinic_identity.schemas import UserCreate, UserUpdate
from clinic_identity.session_store import revoke_user_sessions
from clinic_identity.user_events import emit_user_event
from clinic_shared.auth import ROLE_ADMIN, ROLE_PRACTITIONER
from clinic_shared.contracts.identity import USER_DEACTIVATED, USER_REGISTERED, USER_UPDATED
from clinic_shared.etags import check_if_match
from clinic_shared.events.outbox import utcnow
from clinic_shared.problems import ProblemError, field_error

_EMAIL_TAKEN = "is already used by another user"
_STALE = (
    "Someone else changed this user since you loaded it. Reload it and apply your change again."
)


@dataclass(frozen=True)
class UserFilters:
    """Optional narrowing of the users list."""

    search: str | None = None
    active: bool | None = None


def _has_role(role: str) -> ColumnElement[bool]:
    # Roles are a comma-joined closed set in which no name contains another.
    return User.roles.like(f"%{role}%")


def _email_taken(db: Session, email: str, exclude_id: str | None = None) -> bool:
    query = select(User.id).where(User.email == email)
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return db.execute(query).first() is not None


def create_user(db: Session, hasher: PasswordHasher, stream: str, data: UserCreate) -> User:
    """Register a staff account and its ``user.registered`` event."""
    password_hash = hasher.hash(data.password)
    now = utcnow()
    try:
        with db.begin():
            if _email_taken(db, data.email):
                raise field_error("email", _EMAIL_TAKEN, status=409)
            user = User(
                id=str(uuid.uuid4()),
                email=data.email,
                full_name=data.full_name,
                roles=list(data.roles),
                active=True,
                color=data.color,
                locale=data.locale,
                password_hash=password_hash,
                created_at=now,
                updated_at=now,
            )
            db.add(user)
            db.flush()
            emit_user_event(db, stream, USER_REGISTERED, user)
    except IntegrityError as exc:
        # Two admins creating the same email at once: the unique index decides.
        raise field_error("email", _EMAIL_TAKEN, status=409) from exc
    return user


def get_user(db: Session, user_id: str) -> User:
    """The user with ``user_id``, or 404."""
    with db.begin():
        user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise ProblemError(404, "No user has this id.")
    return user


def _public_state(user: User) -> tuple[object, ...]:
    return (user.email, user.full_name, tuple(user.roles), user.active, user.color, user.locale)


def _check_admins_remain(db: Session, user: User, data: UserUpdate) -> None:
    if not (user.active and ROLE_ADMIN in user.roles):
        return
    if data.active and ROLE_ADMIN in data.roles:
        return
    others = db.scalar(
        select(func.count())
        .select_from(User)
        .where(User.id != user.id, User.active.is_(True), _has_role(ROLE_ADMIN))
    )
    if not others:
        field = "active" if not data.active else "roles"
        raise field_error(field, "would leave the clinic without an active administrator", 409)


def update_user(
    db: Session,
    hasher: PasswordHasher,
    stream: str,
    user_id: str,
    data: UserUpdate,
    if_match: str | None,
) -> User:
    """Replace a user's editable fields (If-Match required); deactivation ends their sessions."""
    password_hash = hasher.hash(data.password) if data.password else None
    now = utcnow()
    try:
        with db.begin():
            user = db.get(User, user_id, with_for_update=True, populate_existing=True)
            if user is None:
                raise ProblemError(404, "No user has this id.")
            check_if_match(if_match, user.version)
            if data.email != user.email and _email_taken(db, data.email, exclude_id=user.id):
                raise field_error("email", _EMAIL_TAKEN, status=409)
            _check_admins_remain(db, user, data)
            was_active, before = user.active, _public_state(user)
            user.email, user.full_name, user.roles = data.email, data.full_name, list(data.roles)
            user.active, user.color, user.locale = data.active, data.color, data.locale
            changed = _public_state(user) != before
            if password_hash is not None:
                user.password_hash = password_hash
                revoke_user_sessions(db, user.id, now, "password-reset")
            if changed or password_hash is not None:
                user.updated_at = now
            db.flush()
            if was_active and not user.active:
                revoke_user_sessions(db, user.id, now, "deactivated")
                emit_user_event(db, stream, USER_DEACTIVATED, user)
            elif changed:
                emit_user_event(db, stream, USER_UPDATED, user)
    except StaleDataError as exc:
        raise ProblemError(412, _STALE) from exc
    except IntegrityError as exc:
        raise field_error("email", _EMAIL_TAKEN, status=409) from exc
    return user


def list_users(db: Session, filters: UserFilters, offset: int, limit: int) -> list[User]:
    """Users by name, optionally searched by name/email and filtered by active."""
    query = select(User).order_by(User.full_name, User.id).offset(offset).limit(limit)
    if filters.search:
        escaped = filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped.lower()}%"
        query = query.where(
            or_(
                func.lower(User.full_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
    if filters.active is not None:
        query = query.where(User.active.is_(filters.active))
    with db.begin():
        return list(db.scalars(query))


def list_practitioners(db: Session, offset: int, limit: int) -> list[User]:
    """Active users holding ROLE_PRACTITIONER, by name."""
    query = (
        select(User)
        .where(User.active.is_(True), _has_role(ROLE_PRACTITIONER))
        .order_by(User.full_name, User.id)
        .offset(offset)
        .limit(limit)
    )
    with db.begin():
        return list(db.scalars(query))


def stats(db: Session) -> tuple[int, int]:
    """(all users, active practitioners)."""
    with db.begin():
        total = db.scalar(select(func.count()).select_from(User)) or 0
        practitioners = (
            db.scalar(
                select(func.count())
                .select_from(User)
                .where(User.active.is_(True), _has_role(ROLE_PRACTITIONER))
            )
            or 0
        )
    return total, practitioners


def reset_password(db: Session, hasher: PasswordHasher, email: str, password: str) -> User:
    """Set a user's password (CLI); every session of theirs ends."""
    password_hash = hasher.hash(password)
    now = utcnow()
    with db.begin():
        user = db.scalar(select(User).where(User.email == email.strip().lower()).with_for_update())
        if user is None:
            raise field_error("email", "no user has this email", status=404)
        user.password_hash = password_hash
        user.updated_at = now
        revoke_user_sessions(db, user.id, now, "password-reset")
    return user
