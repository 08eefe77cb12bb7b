"""Finding 17: login (and every route) answers 503 + Retry-After while the database is down."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from clinic_identity.config import IdentitySettings
from clinic_identity.main import create_app
from clinic_shared.problems import PROBLEM_JSON

pytestmark = pytest.mark.integration


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_login_answers_503_with_retry_after_when_the_database_is_down(
    settings_factory: Callable[..., IdentitySettings],
) -> None:
    settings = settings_factory(
        database_url=f"mysql+pymysql://root@127.0.0.1:{_closed_port()}/clinic_identity"
    )
    client = TestClient(create_app(settings), raise_server_exceptions=False)

    started = time.monotonic()
    response = client.post(
        "/api/login", json={"email": "admin@demo.clinic", "password": "demo1234"}
    )

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) > 0
    assert time.monotonic() - started < 5
    assert client.get("/healthz").status_code == 200
