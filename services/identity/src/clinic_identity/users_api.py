"""Routes about users: the caller's own account, users admin, practitioners, stats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from clinic_identity import auth_service, service
from clinic_identity.deps import (
    AdminUser,
    ClientIp,
    DbSession,
    IfMatch,
    LiveUser,
    ServicesDep,
    SignInDep,
)
from clinic_identity.schemas import (
    IdentityStats,
    PasswordChange,
    PractitionerPublic,
    UserCreate,
    UserDetail,
    UserPublic,
    UserUpdate,
)
from clinic_shared.auth import CurrentUser
from clinic_shared.etags import set_etag
from clinic_shared.openapi import problem_responses
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["users"])


@router.get("/api/me", response_model=UserPublic)
def me(user: LiveUser) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(user)


@router.post("/api/me/password", status_code=204, responses=problem_responses(429))
def change_password(
    body: PasswordChange,
    principal: CurrentUser,
    user: LiveUser,
    db: DbSession,
    sign_in: SignInDep,
    ip: ClientIp,
) -> Response:
    """Change your own password; your other sessions are signed out."""
    auth_service.change_own_password(
        db,
        sign_in,
        principal,
        user,
        current=body.current_password,
        new=body.new_password,
        ip=ip,
    )
    return Response(status_code=204)


@router.get("/api/users", response_model=Collection[UserDetail])
def list_users(
    _admin: AdminUser,
    db: DbSession,
    page: Page,
    request: Request,
    search: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
) -> Collection[UserDetail]:
    """Staff accounts by name (administrators only)."""
    filters = service.UserFilters(search=(search or "").strip() or None, active=active)
    users = service.list_users(db, filters, page.offset, page.fetch_limit)
    return page.collection([UserDetail.model_validate(u) for u in users], request)


@router.post("/api/users", status_code=201, response_model=UserDetail)
def create_user(
    body: UserCreate, _admin: AdminUser, db: DbSession, services: ServicesDep, response: Response
) -> UserDetail:
    """Create a staff account (administrators only)."""
    user = service.create_user(db, services.hasher, services.events, body)
    set_etag(response, user.version)
    response.headers["Location"] = f"/api/users/{user.id}"
    return UserDetail.model_validate(user)


@router.get("/api/users/{user_id}", response_model=UserDetail)
def get_user(user_id: str, _admin: AdminUser, db: DbSession, response: Response) -> UserDetail:
    """One staff account, with its ETag for a later PUT (administrators only)."""
    user = service.get_user(db, user_id)
    set_etag(response, user.version)
    return UserDetail.model_validate(user)


@router.put("/api/users/{user_id}", response_model=UserDetail)
def update_user(
    user_id: str,
    body: UserUpdate,
    _admin: AdminUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> UserDetail:
    """Replace a staff account's fields; needs If-Match. Deactivating signs them out at once."""
    user = service.update_user(db, services.hasher, services.events, user_id, body, expected)
    set_etag(response, user.version)
    return UserDetail.model_validate(user)


@router.get("/api/practitioners", response_model=Collection[PractitionerPublic])
def list_practitioners(
    _user: LiveUser, db: DbSession, page: Page, request: Request
) -> Collection[PractitionerPublic]:
    """Active practitioners with their calendar colours (any signed-in user)."""
    users = service.list_practitioners(db, page.offset, page.fetch_limit)
    return page.collection([PractitionerPublic.model_validate(u) for u in users], request)


@router.get("/stats", response_model=IdentityStats)
def stats(_user: LiveUser, db: DbSession) -> IdentityStats:
    """Identity's dashboard numbers: all users and active practitioners."""
    total, practitioners = service.stats(db)
    return IdentityStats(total_users=total, active_practitioners=practitioners)
