"""Receptionists get 403 on every records route; practitioners and admins are let in."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.integration

SOME_ID = str(uuid.uuid4())
ROUTES = [
    ("GET", "/api/records?patientId=" + SOME_ID),
    ("POST", "/api/records"),
    ("GET", "/api/records/pain?patientId=" + SOME_ID),
    ("GET", f"/api/records/{SOME_ID}"),
    ("PUT", f"/api/records/{SOME_ID}"),
    ("POST", f"/api/records/{SOME_ID}/sign"),
    ("POST", f"/api/records/{SOME_ID}/amendments"),
    ("GET", "/api/records/audit"),
    ("GET", "/api/records/sessions-without-note"),
    ("GET", "/api/record-templates"),
    ("GET", "/api/episodes?patientId=" + SOME_ID),
    ("POST", "/api/episodes"),
    ("GET", f"/api/episodes/{SOME_ID}"),
    ("PUT", f"/api/episodes/{SOME_ID}"),
    ("POST", f"/api/episodes/{SOME_ID}/discharge"),
    ("GET", "/api/measures?patientId=" + SOME_ID),
    ("POST", "/api/measures"),
    ("GET", f"/api/measures/{SOME_ID}"),
    ("GET", f"/api/episodes/{SOME_ID}/outcomes"),
    ("GET", f"/api/patients/{SOME_ID}/clinical-history.pdf"),
    ("GET", "/stats"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_receptionists_are_refused_everywhere(api: Any, method: str, path: str) -> None:
    response = api.client.request(method, path, headers={**api.receptionist, "If-Match": "*"})
    assert response.status_code == 403, response.text


def test_no_token_is_401(api: Any) -> None:
    assert api.client.get("/api/record-templates").status_code == 401
