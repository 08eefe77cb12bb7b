"""Identity's tables: users, refresh sessions and their tokens, session settings, outbox, keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Dialect, ForeignKey, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from clinic_shared.db import Timestamp
from clinic_shared.events.outbox import outbox_table
from clinic_shared.idempotency import idempotency_table

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base bound to identity's metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RoleList(TypeDecorator[list[str]]):
    """Roles stored as ``ROLE_A,ROLE_B`` (a closed set of names, none a substring of another)."""

    impl = String(200)
    cache_ok = True

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        """Compare with plain strings as strings (``roles LIKE '%ROLE_X%'``)."""
        return String() if isinstance(value, str) else self

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str | None:
        """Join the roles for storage."""
        return None if value is None else ",".join(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str] | None:
        """Split the stored roles."""
        return None if value is None else [role for role in str(value).split(",") if role]


class User(Base):
    """A staff account."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Stored lower-cased: uniqueness is case-insensitive on MariaDB and SQLite alike.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(RoleList)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    color: Mapped[str | None] = mapped_column(String(7), nullable=True)
    locale: Mapped[str] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    version: Mapped[int] = mapped_column(Integer)

    # Every UPDATE checks and bumps the version: a concurrent edit fails instead of winning.
    __mapper_args__ = {"version_id_col": version}

    sessions: Mapped[list[RefreshSession]] = relationship(
        back_populates="user", passive_deletes=True, cascade="all, delete-orphan"
    )


class RefreshSession(Base):
    """One login: the family of refresh tokens rotated from it (``sid`` in access tokens)."""

    __tablename__ = "refresh_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    last_used_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)

    user: Mapped[User] = relationship(back_populates="sessions")


class RefreshToken(Base):
    """A refresh token, by the SHA-256 of its value; ``rotated_at`` set once it was used."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("refresh_sessions.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(Timestamp)
    rotated_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class SessionSettings(Base):
    """The admin's session policy: one row (``id`` 1), absent until an admin first saves it."""

    __tablename__ = "session_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    max_session_hours: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_by: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)


outbox = outbox_table(Base.metadata)
idempotency_keys = idempotency_table(Base.metadata)
