"""The billing app starts, is ready, and refuses practitioners."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_the_app_is_ready(api) -> None:  # type: ignore[no-untyped-def]
    assert api.client.get("/readyz").status_code == 200
