"""The payloads of the user.* events, built with the shared contracts' classes.

Use cases emit them with ``events.add(db, user_payload(UserRegistered, user))``.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from clinic_identity.models import User
from clinic_shared.contracts.identity import UserData

UserEvent = TypeVar("UserEvent", bound=UserData)


def user_payload(contract: type[UserEvent], user: User) -> UserEvent:
    """``contract`` (``UserRegistered``…) about ``user``: its public state, never the hash."""
    return contract(
        user_id=UUID(user.id),
        email=user.email,
        full_name=user.full_name,
        roles=list(user.roles),
        active=user.active,
        color=user.color,
        locale=user.locale,
        # Flushed before the event is built, so this is the version the change produced.
        entity_version=user.version,
    )
