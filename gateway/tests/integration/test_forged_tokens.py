"""The shared forged-token suite (issue 11) against the gateway's edge (GET /api/me)."""

from __future__ import annotations

import httpx
import pytest

from clinic_shared.testing.forged_tokens import FORGED_TOKEN_CASES, ForgeryKit, assert_refused
from clinic_shared.testing.keys import TokenFactory


def test_a_genuine_token_passes_the_edge(client: httpx.Client, token_factory: TokenFactory) -> None:
    kit = ForgeryKit.from_factory(token_factory)
    assert client.get("/api/me", headers=kit.headers("valid")).status_code == 200


@pytest.mark.parametrize("case", FORGED_TOKEN_CASES)
def test_forged_token_is_refused_at_the_edge(
    case: str, client: httpx.Client, token_factory: TokenFactory
) -> None:
    kit = ForgeryKit.from_factory(token_factory)
    response = client.get("/api/me", headers=kit.headers(case))
    assert_refused(response, case)
    assert response.headers["www-authenticate"].startswith("Bearer")
