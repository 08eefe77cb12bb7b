"""The shared forged-token suite (issue 11) against identity's own verifier (GET /api/me)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from clinic_identity.keys import SigningKey
from clinic_shared.testing.forged_tokens import FORGED_TOKEN_CASES, ForgeryKit, assert_refused

pytestmark = pytest.mark.integration


@pytest.fixture
def kit(api: Any, settings: Any) -> ForgeryKit:
    """Forgeries around a genuine admin login, with identity's real signing key."""
    genuine = api.token("admin@demo.clinic")
    claims = jwt.decode(genuine, options={"verify_signature": False})
    key = SigningKey.from_pem(settings.signing_key_files[0].read_bytes())
    return ForgeryKit(
        private_key=key.private_key,
        kid=key.kid,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        sub=claims["sub"],
        roles=tuple(claims["roles"]),
    )


def test_a_genuine_token_is_accepted(client: Any, api: Any) -> None:
    token = api.token("admin@demo.clinic")
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("case", FORGED_TOKEN_CASES)
def test_forged_token_is_refused(case: str, client: Any, kit: ForgeryKit) -> None:
    assert_refused(client.get("/api/me", headers=kit.headers(case)), case)
