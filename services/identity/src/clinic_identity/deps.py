"""FastAPI dependencies: the process's collaborators, a DB session, the live caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from clinic_identity.auth_service import load_live_user
from clinic_identity.container import Identity
from clinic_identity.models import User
from clinic_identity.proxies import client_ip
from clinic_shared.auth import ROLE_ADMIN, CurrentUser
from clinic_shared.auth.dependencies import unauthorized
from clinic_shared.problems import ProblemError


def get_identity(request: Request) -> Identity:
    """The collaborators built by ``create_app``."""
    identity: Identity = request.app.state.identity
    return identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def get_db(identity: IdentityDep) -> Iterator[Session]:
    """A session per request; use cases open their transactions explicitly."""
    with identity.new_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


def get_client_ip(request: Request, identity: IdentityDep) -> str:
    """The client's address as identity trusts it (for throttling)."""
    return client_ip(request, identity.settings.trusted_proxies)


ClientIp = Annotated[str, Depends(get_client_ip)]


def get_live_user(principal: CurrentUser, db: DbSession) -> User:
    """The caller, if their token's session was not revoked (identity checks; others can't)."""
    user = load_live_user(db, principal)
    if user is None:
        raise unauthorized("The session of this access token has ended.")
    return user


LiveUser = Annotated[User, Depends(get_live_user)]


def get_admin(user: LiveUser) -> User:
    """The caller, if they are an administrator now (roles read from the database)."""
    if ROLE_ADMIN not in user.roles:
        raise ProblemError(403, "Only administrators can manage users.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]
