"""The shared forged-token suite (issue 11) against records (GET /api/record-templates)."""

from __future__ import annotations

from typing import Any

import pytest

from clinic_shared.testing.forged_tokens import FORGED_TOKEN_CASES, ForgeryKit, assert_refused
from clinic_shared.testing.keys import TokenFactory

pytestmark = pytest.mark.integration


def test_a_genuine_token_is_accepted(client: Any, token_factory: TokenFactory) -> None:
    kit = ForgeryKit.from_factory(token_factory)
    assert client.get("/api/record-templates", headers=kit.headers("valid")).status_code == 200


@pytest.mark.parametrize("case", FORGED_TOKEN_CASES)
def test_forged_token_is_refused(case: str, client: Any, token_factory: TokenFactory) -> None:
    kit = ForgeryKit.from_factory(token_factory)
    assert_refused(client.get("/api/record-templates", headers=kit.headers(case)), case)
