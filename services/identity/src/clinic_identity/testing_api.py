"""Routes that exist only with APP_ENV=test, for end-to-end suites."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Response
from pydantic import Field
from sqlalchemy import update

from clinic_identity.deps import DbSession, ServicesDep
from clinic_identity.models import RefreshSession
from clinic_identity.seed import empty_database, seed_demo
from clinic_identity.session_policy import current_policy
from clinic_shared.clock import utcnow
from clinic_shared.schemas import CamelInput

router = APIRouter(tags=["test"])


class SessionsEnding(CamelInput):
    """Make every live session end ``ends_in_seconds`` from now (idle, or at its maximum)."""

    ends_in_seconds: int = Field(ge=0, le=3600)
    at_maximum: bool = False


@router.post("/api/test/reset-db", status_code=204)
def reset_db(db: DbSession, services: ServicesDep) -> Response:
    """Empty identity's tables and throttle state, then seed the demo users again."""
    empty_database(db)
    services.throttle_store.clear()
    seed_demo(db, services.hasher, services.events, services.settings)
    return Response(status_code=204)


@router.post("/api/test/sessions/ending", status_code=204)
def sessions_ending(body: SessionsEnding, db: DbSession) -> Response:
    """Age every live session so it ends soon, as hours of use would (browser tests' shortcut).

    With ``atMaximum`` the login is moved back so the admin's maximum falls at that moment
    (a refresh cannot renew it); otherwise the session has merely been idle.
    """
    now = utcnow()
    ends_at = now + timedelta(seconds=body.ends_in_seconds)
    values: dict[str, object] = {"expires_at": ends_at}
    with db.begin():
        if body.at_maximum:
            values["created_at"] = ends_at - timedelta(hours=current_policy(db).max_session_hours)
        db.execute(
            update(RefreshSession).where(RefreshSession.revoked_at.is_(None)).values(**values)
        )
    return Response(status_code=204)
