"""Routes of the session policy: the absolute maximum of a session (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_identity import session_policy
from clinic_identity.deps import AdminUser, DbSession, IfMatch, ServicesDep
from clinic_identity.schemas import SessionSettingsPublic, SessionSettingsUpdate
from clinic_shared.clock import utcnow
from clinic_shared.etags import set_etag
from clinic_shared.openapi import problem_responses

router = APIRouter(tags=["session settings"])


def _public(
    policy: session_policy.SessionPolicy, services: ServicesDep, response: Response
) -> SessionSettingsPublic:
    set_etag(response, policy.version)
    return SessionSettingsPublic(
        max_session_hours=policy.max_session_hours,
        idle_minutes=services.settings.refresh_token_seconds // 60,
        version=policy.version,
        updated_at=policy.updated_at,
    )


@router.get("/api/session-settings", response_model=SessionSettingsPublic)
def get_session_settings(
    _admin: AdminUser, db: DbSession, services: ServicesDep, response: Response
) -> SessionSettingsPublic:
    """The session policy (version 0 and the default maximum before an admin saves it)."""
    return _public(session_policy.current_policy(db), services, response)


@router.put(
    "/api/session-settings",
    response_model=SessionSettingsPublic,
    responses=problem_responses(412, 428),
)
def update_session_settings(
    body: SessionSettingsUpdate,
    admin: AdminUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> SessionSettingsPublic:
    """Set the absolute maximum (If-Match); live sessions follow it at their next refresh."""
    saved = session_policy.update_policy(
        db, body.max_session_hours, expected, by=admin.id, now=utcnow()
    )
    return _public(saved, services, response)
