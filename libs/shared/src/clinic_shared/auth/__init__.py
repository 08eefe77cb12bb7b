"""JWT verification against identity's JWKS, and the FastAPI dependencies built on it."""

from clinic_shared.auth.dependencies import (
    CurrentUser,
    OptionalBearer,
    get_current_user,
    require_roles,
)
from clinic_shared.auth.jwks import (
    JwksCache,
    KeysUnavailableError,
    http_jwks_fetcher,
    public_jwk,
)
from clinic_shared.auth.verifier import InvalidTokenError, JwtVerifier, Principal

ROLE_ADMIN = "ROLE_ADMIN"
ROLE_PRACTITIONER = "ROLE_PRACTITIONER"
ROLE_RECEPTIONIST = "ROLE_RECEPTIONIST"
ALL_ROLES = (ROLE_ADMIN, ROLE_PRACTITIONER, ROLE_RECEPTIONIST)

__all__ = [
    "ALL_ROLES",
    "ROLE_ADMIN",
    "ROLE_PRACTITIONER",
    "ROLE_RECEPTIONIST",
    "CurrentUser",
    "InvalidTokenError",
    "JwksCache",
    "JwtVerifier",
    "KeysUnavailableError",
    "OptionalBearer",
    "Principal",
    "get_current_user",
    "http_jwks_fetcher",
    "public_jwk",
    "require_roles",
]
