"""Routes for signing in and out: login, token refresh, logout, the JWKS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response

from clinic_identity import auth_service
from clinic_identity.auth_service import SignedIn
from clinic_identity.config import IdentitySettings
from clinic_identity.deps import ClientIp, DbSession, ServicesDep, SignInDep
from clinic_identity.proxies import request_is_https
from clinic_identity.schemas import LoginRequest, LoginResponse, UserPublic
from clinic_shared.auth import InvalidTokenError, JwtVerifier, OptionalBearer, Principal
from clinic_shared.clock import utcnow
from clinic_shared.openapi import problem_responses

# The refresh cookie goes only where it is needed, never with ordinary API calls.
REFRESH_COOKIE_PATHS = ("/api/token", "/api/logout")

router = APIRouter(tags=["auth"])


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


def _seconds_left(signed: SignedIn) -> int:
    return max(0, int((signed.refresh_expires_at - utcnow()).total_seconds()))


def _set_refresh_cookie(
    response: Response, request: Request, settings: IdentitySettings, signed: SignedIn
) -> None:
    max_age = _seconds_left(signed)
    secure = request_is_https(request, settings.trusted_proxies)
    for path in REFRESH_COOKIE_PATHS:
        response.set_cookie(
            settings.refresh_cookie_name,
            signed.refresh_token,
            max_age=max_age,
            path=path,
            secure=secure,
            httponly=True,
            samesite="strict",
        )


def _signed_in_response(
    response: Response, request: Request, settings: IdentitySettings, signed: SignedIn
) -> LoginResponse:
    _set_refresh_cookie(response, request, settings, signed)
    _no_store(response)
    return LoginResponse(
        token=signed.access.token,
        expires_in=signed.access.expires_in,
        session_expires_in=_seconds_left(signed),
        session_renewable=signed.session_renewable,
        user=UserPublic.model_validate(signed.user),
    )


@router.post("/api/login", response_model=LoginResponse, responses=problem_responses(401, 429))
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: DbSession,
    services: ServicesDep,
    sign_in: SignInDep,
    ip: ClientIp,
) -> LoginResponse:
    """Sign in with email and password: an access token plus a refresh cookie."""
    signed = auth_service.login(db, sign_in, body.email, body.password, ip)
    return _signed_in_response(response, request, services.settings, signed)


@router.post("/api/token/refresh", response_model=LoginResponse, responses=problem_responses(401))
def refresh_token(
    request: Request, response: Response, db: DbSession, services: ServicesDep
) -> LoginResponse:
    """Trade the refresh cookie for a new access token: the cookie rotates, the session renews."""
    raw = request.cookies.get(services.settings.refresh_cookie_name)
    idle = timedelta(seconds=services.settings.refresh_token_seconds)
    signed = auth_service.refresh(db, services.tokens, raw, now=utcnow(), idle=idle)
    return _signed_in_response(response, request, services.settings, signed)


def _principal_or_none(request: Request, credentials: OptionalBearer) -> Principal | None:
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    verifier: JwtVerifier = request.app.state.verifier
    try:
        return verifier.verify(credentials.credentials)
    except InvalidTokenError:
        return None


@router.post("/api/logout", status_code=204)
def logout(
    request: Request, credentials: OptionalBearer, db: DbSession, services: ServicesDep
) -> Response:
    """End the session of the access token (and of the refresh cookie); clears the cookie."""
    settings = services.settings
    principal = _principal_or_none(request, credentials)
    raw = request.cookies.get(settings.refresh_cookie_name)
    auth_service.logout(db, principal, raw)
    response = Response(status_code=204)
    secure = request_is_https(request, settings.trusted_proxies)
    for path in REFRESH_COOKIE_PATHS:
        response.delete_cookie(
            settings.refresh_cookie_name,
            path=path,
            secure=secure,
            httponly=True,
            samesite="strict",
        )
    _no_store(response)
    return response


@router.get("/.well-known/jwks.json")
def jwks(services: ServicesDep, response: Response) -> dict[str, Any]:
    """The public keys access tokens are signed with (JWKS, RFC 7517)."""
    response.headers["Cache-Control"] = "public, max-age=60"
    return services.keyring.jwks()
