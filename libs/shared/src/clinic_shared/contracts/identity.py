"""Events the identity service publishes on ``events.identity``.

Every user event carries the user's full public state (never a password hash), so a
consumer can upsert its read model from any single event; ``entityVersion`` (the user row's
version) says which of two states is newer, so a late or redelivered event never overwrites
a newer one.
Known roles: ROLE_ADMIN, ROLE_PRACTITIONER, ROLE_RECEPTIONIST; new ``ROLE_*`` values may be
added without a version bump, so consumers must tolerate roles they do not know.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import Field, StringConstraints

from clinic_shared.contracts.base import EntityVersion, EventPayload

PRODUCER = "identity"
STREAM = "events.identity"

USER_REGISTERED = "user.registered"
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"

Role = Annotated[str, StringConstraints(pattern=r"^ROLE_[A-Z][A-Z_]*$", max_length=50)]

_EXAMPLE_USER: dict[str, Any] = {
    "userId": "5b0f7c52-9a43-4c1e-8d0e-3f1b2a6c9d10",
    "email": "lucia.martin@clinic.example",
    "fullName": "Lucía Martín Gómez",
    "roles": ["ROLE_PRACTITIONER"],
    "active": True,
    "color": "#3B82F6",
    "locale": "es",
    "entityVersion": 1,
}


class UserData(EventPayload):
    """A user's public state as other contexts may keep it."""

    user_id: UUID
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    full_name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(max_length=10)
    active: bool
    # Calendar colour for practitioners; None for staff who never appear on the calendar.
    color: str | None = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    locale: str = Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    # The user row's version after this change (see ``base.EntityVersion``).
    entity_version: int | None = EntityVersion


class UserRegistered(UserData):
    """``user.registered``: a new staff account exists."""

    EXAMPLE: ClassVar[dict[str, Any]] = _EXAMPLE_USER


class UserUpdated(UserData):
    """``user.updated``: name, email, roles, colour or locale changed (or reactivated)."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_USER,
        "fullName": "Lucía Martín-Gómez",
        "roles": ["ROLE_PRACTITIONER", "ROLE_ADMIN"],
        "entityVersion": 2,
    }


class UserDeactivated(UserData):
    """``user.deactivated``: the account can no longer log in; its history stays."""

    EXAMPLE: ClassVar[dict[str, Any]] = {**_EXAMPLE_USER, "active": False, "entityVersion": 3}


CONTRACTS: dict[str, type[EventPayload]] = {
    USER_REGISTERED: UserRegistered,
    USER_UPDATED: UserUpdated,
    USER_DEACTIVATED: UserDeactivated,
}
