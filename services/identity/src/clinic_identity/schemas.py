"""Request and response bodies (camelCase on the wire)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from clinic_identity.passwords import MAX_PASSWORD_LENGTH, password_problem
from clinic_identity.session_policy import MAX_MAX_SESSION_HOURS, MIN_MAX_SESSION_HOURS
from clinic_shared.auth import ALL_ROLES
from clinic_shared.schemas import CamelInput, CamelModel, SingleLine, UtcDatetime

Role = Literal["ROLE_ADMIN", "ROLE_PRACTITIONER", "ROLE_RECEPTIONIST"]
Locale = Literal["es", "en"]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
# No control, text-direction or zero-width characters (any letter and emoji are fine).
FullName = Annotated[SingleLine, StringConstraints(min_length=1, max_length=100)]
# Passwords are taken byte for byte: the base model's whitespace stripping must not touch them.
RawPassword = Annotated[
    str, StringConstraints(strip_whitespace=False, max_length=MAX_PASSWORD_LENGTH)
]


def _lower_email(value: str) -> str:
    return value.lower()


def _policy_password(value: str) -> str:
    problem = password_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _distinct_roles(value: list[str]) -> list[str]:
    # Canonical order, no duplicates: the stored value and the events stay comparable.
    return [role for role in ALL_ROLES if role in value]


Email = Annotated[EmailStr, AfterValidator(_lower_email)]
NewPassword = Annotated[RawPassword, AfterValidator(_policy_password)]
Roles = Annotated[list[Role], Field(min_length=1, max_length=3), AfterValidator(_distinct_roles)]


class LoginRequest(CamelInput):
    """Credentials; any email string is accepted so unknown ones get the same 401."""

    email: Annotated[str, StringConstraints(max_length=254)]
    password: RawPassword


class PasswordChange(CamelInput):
    """A user changing their own password."""

    current_password: RawPassword
    new_password: NewPassword


class UserCreate(CamelInput):
    """A new staff account (admin only)."""

    email: Email
    full_name: FullName
    roles: Roles
    color: Color | None = None
    locale: Locale = "es"
    password: NewPassword


class UserUpdate(CamelInput):
    """Full replacement of a user's editable fields; ``password`` only when resetting it."""

    email: Email
    full_name: FullName
    roles: Roles
    active: bool
    color: Color | None = None
    locale: Locale
    password: NewPassword | None = None


class UserPublic(CamelModel):
    """A user as clients see it (never the hash)."""

    id: str
    email: str
    full_name: str
    roles: list[str]
    active: bool
    color: str | None
    locale: str


class UserDetail(UserPublic):
    """A user as the admin screens see it, with bookkeeping fields."""

    created_at: UtcDatetime
    updated_at: UtcDatetime
    version: int


class LoginResponse(CamelModel):
    """An access token, its lifetime in seconds, when the session ends and who it belongs to."""

    token: str
    expires_in: int
    # Seconds until the session ends unless renewed by a refresh (relative: no clock skew).
    session_expires_in: int
    # False once the session ends at the admin's maximum: a refresh cannot move that end.
    session_renewable: bool
    user: UserPublic


class SessionSettingsPublic(CamelModel):
    """The session policy: the admin's maximum and the idle lifetime (set by deployment)."""

    max_session_hours: int
    idle_minutes: int
    version: int
    updated_at: UtcDatetime | None


class SessionSettingsUpdate(CamelInput):
    """A new absolute maximum for sessions, in whole hours."""

    max_session_hours: Annotated[
        int, Field(ge=MIN_MAX_SESSION_HOURS, le=MAX_MAX_SESSION_HOURS, strict=True)
    ]


class PractitionerPublic(CamelModel):
    """A practitioner as the calendar shows them."""

    id: str
    full_name: str
    color: str | None


class IdentityStats(CamelModel):
    """Identity's numbers for the dashboard."""

    total_users: int
    active_practitioners: int
