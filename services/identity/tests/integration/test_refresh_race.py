"""Simultaneous refreshes with one token on MariaDB: the conditional UPDATE lets one win.

``SqlSessionStore.claim_token`` marks a token rotated only ``WHERE rotated_at IS NULL``; the
requests truly race (``clinic_shared.testing.race``: warm connections, a barrier) and each waits
a moment after reading the token, as a loaded server would, so every racer sees it unused.
Without the condition, several would be handed a new token for one old one.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from clinic_identity.models import RefreshSession, RefreshToken
from clinic_identity.session_store import SqlSessionStore
from clinic_identity.sessions import TokenState
from clinic_shared.testing.race import app_engine, race

pytestmark = pytest.mark.integration

RACERS = 6


@pytest.fixture(autouse=True)
def slow_token_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between reading the token and claiming it."""
    find = SqlSessionStore.find_token

    def slowly(self: SqlSessionStore, token_hash: str) -> TokenState | None:
        found = find(self, token_hash)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(SqlSessionStore, "find_token", slowly)


def _cookie_value(response: Response) -> str:
    cookie = response.headers.get_list("set-cookie")[0]
    return cookie.split(";")[0].split("=", 1)[1].strip('"')


def test_simultaneous_refreshes_of_one_token_give_one_new_token(
    client: TestClient, api: Any
) -> None:
    login = api.login("fisio@demo.clinic")
    raw = _cookie_value(login)
    client.cookies.clear()  # each racer sends the cookie itself; the jar stays out of it

    def refresh() -> Response:
        return client.post("/api/token/refresh", headers={"Cookie": f"clinic_refresh={raw}"})

    responses = race([refresh] * RACERS, engines=[app_engine(client)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * (RACERS - 1), [r.text for r in responses]
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.new_session() as db, db.begin():
        session_id = db.scalars(select(RefreshSession.id)).one()
        issued = db.scalar(select(func.count()).where(RefreshToken.session_id == session_id))
        session = db.get(RefreshSession, session_id)
    assert issued == 2  # the login's token and the one winner's, never one per racer
    # The losers presented a token already rotated: reuse, so the family is revoked.
    assert session is not None
    assert session.revoked_reason == "reused"
