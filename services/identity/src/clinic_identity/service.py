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
from clinic_identity.user_events import user_payload
from clinic_shared.auth import ROLE_ADMIN, ROLE_PRACTITIONER
from clinic_shared.clock import utcnow
from clinic_shared.contracts.identity import UserDeactivated, UserRegistered, UserUpdated
from clinic_shared.errors import ConflictError, ExpectedVersion, NotFoundError, StaleVersionError
from clinic_shared.events.outbox import OutboxWriter

_EMAIL_TAKEN = "is already used by another user"
_NO_SUCH_USER = "No user has this id."
_STALE_WHAT = "this user"


@dataclass(frozen=True)
class UserFilters:
    """Optional narrowing of the users list."""

    search: str | None = None
    active: bool | None = None


def _has_role(role: str) -> ColumnElement[bool]:
    # Roles are a comma-joined closed set in which no name contains another.
    return User.roles.like(f"%{role}%")


def _conflict(field: str, message: str) -> ConflictError:
    # The 409 names the field the way a 422 does: detail "field: message" and ``errors``.
    return ConflictError(f"{field}: {message}", field=field, message=message)


def _email_taken(db: Session, email: str, exclude_id: str | None = None) -> bool:
    query = select(User.id).where(User.email == email)
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return db.execute(query).first() is not None


def create_user(
    db: Session, hasher: PasswordHasher, events: OutboxWriter, data: UserCreate
) -> User:
    """Register a staff account and its ``user.registered`` event."""
    password_hash = hasher.hash(data.password)
    now = utcnow()
    try:
        with db.begin():
            if _email_taken(db, data.email):
                raise _conflict("email", _EMAIL_TAKEN)
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
            events.add(db, user_payload(UserRegistered, user))
    except IntegrityError as exc:
        # Two admins creating the same email at once: the unique index decides.
        raise _conflict("email", _EMAIL_TAKEN) from exc
    return user


def get_user(db: Session, user_id: str) -> User:
    """The user with ``user_id``, or 404."""
    with db.begin():
        user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFoundError(_NO_SUCH_USER)
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
        raise _conflict(field, "would leave the clinic without an active administrator")


def update_user(
    db: Session,
    hasher: PasswordHasher,
    events: OutboxWriter,
    user_id: str,
    data: UserUpdate,
    expected: ExpectedVersion,
) -> User:
    """Replace a user's editable fields (If-Match required); deactivation ends their sessions."""
    password_hash = hasher.hash(data.password) if data.password else None
    now = utcnow()
    try:
        with db.begin():
            user = db.get(User, user_id, with_for_update=True, populate_existing=True)
            if user is None:
                raise NotFoundError(_NO_SUCH_USER)
            expected.check(user.version, _STALE_WHAT)
            if data.email != user.email and _email_taken(db, data.email, exclude_id=user.id):
                raise _conflict("email", _EMAIL_TAKEN)
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
                events.add(db, user_payload(UserDeactivated, user))
            elif changed:
                events.add(db, user_payload(UserUpdated, user))
    except StaleDataError as exc:
        # Only a write racing past the row lock gets here: name the version that won.
        raise StaleVersionError(_stored_version(db, user_id), _STALE_WHAT) from exc
    except IntegrityError as exc:
        raise _conflict("email", _EMAIL_TAKEN) from exc
    return user


def _stored_version(db: Session, user_id: str) -> int:
    with db.begin():
        return db.scalar(select(User.version).where(User.id == user_id)) or 0


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
            message = "no user has this email"
            raise NotFoundError(f"email: {message}", field="email", message=message)
        user.password_hash = password_hash
        user.updated_at = now
        revoke_user_sessions(db, user.id, now, "password-reset")
    return user
