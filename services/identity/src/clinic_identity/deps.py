"""FastAPI dependencies: identity's services, a DB session, the live caller, sign-in's parts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from clinic_identity.auth_service import SignInParts, load_live_user
from clinic_identity.bootstrap import IdentityServices
from clinic_identity.models import User
from clinic_identity.proxies import client_ip
from clinic_shared.auth import ROLE_ADMIN, CurrentUser
from clinic_shared.auth.dependencies import unauthorized
from clinic_shared.deps import DbSession, IfMatch, get_services
from clinic_shared.problems import ProblemError

ServicesDep = Annotated[IdentityServices, Depends(get_services)]


def get_client_ip(request: Request, services: ServicesDep) -> str:
    """The client's address as identity trusts it (for throttling)."""
    return client_ip(request, services.settings.trusted_proxies)


ClientIp = Annotated[str, Depends(get_client_ip)]


def get_sign_in_parts(services: ServicesDep) -> SignInParts:
    """The throttle, hasher, token issuer and session lifetime the sign-in use cases take."""
    return SignInParts(
        throttle=services.throttle,
        hasher=services.hasher,
        tokens=services.tokens,
        idle_lifetime=timedelta(seconds=services.settings.refresh_token_seconds),
    )


SignInDep = Annotated[SignInParts, Depends(get_sign_in_parts)]


def get_live_user(principal: CurrentUser, db: DbSession) -> User:
    """The caller, if their token's session was not revoked (identity checks; others can't)."""
    user = load_live_user(db, principal)
    if user is None:
        raise unauthorized("The session of this access token has ended.")
    return user


LiveUser = Annotated[User, Depends(get_live_user)]


def get_admin(user: LiveUser) -> User:
    """The caller, if they are an administrator now (roles read from the database).

    Unlike ``clinic_shared.deps.AdminUser`` (the token's roles), a demoted admin loses
    users admin at once.
    """
    if ROLE_ADMIN not in user.roles:
        raise ProblemError(403, "Only administrators can manage users.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]

__all__ = [
    "AdminUser",
    "ClientIp",
    "DbSession",
    "IfMatch",
    "LiveUser",
    "ServicesDep",
    "SignInDep",
    "get_admin",
    "get_client_ip",
    "get_live_user",
    "get_sign_in_parts",
]
