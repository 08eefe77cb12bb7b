"""The embedded default (SQLite): a draft is signed, frozen, and its reads (the entry, the
timeline, the pain series with a pain scale measure) audited; a PSFS keeps its activity names
sealed; a discharged episode shows until when it is kept."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clinic_records.cli import migrate
from clinic_records.infrastructure.tables import measures
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
        nprs = {"patientId": signed["patientId"], "instrument": "NPRS", "answers": [3]}
        api.ok(api.post("/api/measures", nprs), 201)
        pain = api.ok(api.get("/api/records/pain", patientId=signed["patientId"]))
        assert [(p["pain"], p["source"], p["signed"]) for p in pain["points"]] == [
            (6.0, "entry", True),
            (3.0, "NPRS", True),
        ]
        assert api.audit_count() == 3


def test_psfs_activities_and_retention_on_sqlite(
    tmp_path: Path,
    settings_factory: Any,
    verifier: JwtVerifier,
    token_factory: Any,
    api_class: Any,
) -> None:
    settings = settings_factory(database_url=f"sqlite:///{tmp_path / 'records.sqlite'}")
    migrate(settings)
    with TestClient(create_app(settings, verifier=verifier)) as client:
        moment = datetime(2028, 2, 29, 10, 0, tzinfo=UTC)
        app: Any = client.app
        app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)
        api = api_class(client, token_factory)
        patient = api.patient()
        body = {"patientId": patient, "reason": "Gonalgia", "openedOn": "2028-02-01"}
        episode = api.ok(api.post("/api/episodes", body), 201)
        names = ["Bajar escaleras", "Ponerse de rodillas"]
        taken = {
            "patientId": patient,
            "episodeId": episode["id"],
            "instrument": "PSFS",
            "answers": [2, 5],
            "activities": names,
        }
        created = api.ok(api.post("/api/measures", taken), 201)
        assert (created["activities"], created["score"]) == (names, 3.5)
        assert api.ok(api.get(f"/api/measures/{created['id']}"))["activities"] == names
        mismatch = api.post("/api/measures", {**taken, "activities": names[:1]})
        assert (mismatch.status_code, mismatch.json()["errors"][0]["field"]) == (422, "activities")
        with api.session() as session, session.begin():
            row = session.execute(select(measures).where(measures.c.id == created["id"])).one()
        assert not any(name.split()[0] in str(value) for name in names for value in row)

        assert episode["retainUntil"] is None
        url = f"/api/episodes/{episode['id']}"
        done = api.ok(api.post(f"{url}/discharge", {"reason": "Alta por mejoría"}))
        assert (done["dischargedOn"], done["retainUntil"]) == ("2028-02-29", "2033-02-28")
        listed = api.ok(api.get("/api/episodes", patientId=patient))["member"]
        assert [e["retainUntil"] for e in listed] == ["2033-02-28"]
