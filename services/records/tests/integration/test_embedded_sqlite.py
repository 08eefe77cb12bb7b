"""The embedded default (SQLite): a draft is signed, frozen, and its read audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_records.cli import migrate
from clinic_records.main import create_app
from clinic_shared.auth import JwtVerifier

pytestmark = pytest.mark.integration


def test_sign_and_audit_on_sqlite(
    tmp_path: Path,
    settings_factory: Any,
    verifier: JwtVerifier,
    token_factory: Any,
    api_class: Any,
) -> None:
    settings = settings_factory(database_url=f"sqlite:///{tmp_path / 'records.sqlite'}")
    migrate(settings)
    with TestClient(create_app(settings, verifier=verifier)) as client:
        api = api_class(client, token_factory)
        entry = api.draft(api.patient())
        signed = api.ok(api.sign(entry["id"]))
        assert signed["status"] == "signed"
        assert (
            api.put(
                f"/api/records/{entry['id']}", {"type": "note", "date": "2026-01-15"}
            ).status_code
            == 409
        )
        api.ok(api.get(f"/api/records/{entry['id']}"))
        api.ok(api.get("/api/records", patientId=signed["patientId"]))
        assert api.audit_count() == 2
