"""The embedded default (SQLite): a draft is signed, frozen, and its reads (the entry, the
timeline, the pain series with a pain scale measure) audited; a PSFS keeps its activity names
sealed; a discharged episode shows until when it is kept; the audit is append-only, the file
holds no clinical text and nothing can be deleted, as on MariaDB."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from clinic_records.cli import migrate
from clinic_records.infrastructure.tables import measures
from clinic_records.main import create_app
from clinic_shared.auth import JwtVerifier

pytestmark = pytest.mark.integration

SECRET = "Antecedente de depresión mayor"


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """Where the embedded database lives."""
    return tmp_path / "records.sqlite"


@pytest.fixture
def sqlite_api(
    sqlite_file: Path,
    settings_factory: Any,
    verifier: JwtVerifier,
    token_factory: Any,
    api_class: Any,
) -> Iterator[Any]:
    """The API helper over an app on a migrated SQLite file (closed at the end)."""
    settings = settings_factory(database_url=f"sqlite:///{sqlite_file}")
    migrate(settings)
    with TestClient(create_app(settings, verifier=verifier)) as client:
        yield api_class(client, token_factory)


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
        # Three writes answered (the draft, the signed entry, the measure; the refused edit
        # showed nothing) and three reads: one row each.
        assert api.audit_count() == 6


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


def test_the_audit_is_append_only_on_sqlite(sqlite_api: Any, sqlite_file: Path) -> None:
    api = sqlite_api
    api.ok(api.get("/api/records", patientId=api.patient()))
    engine = create_engine(f"sqlite:///{sqlite_file}")
    try:
        for statement in (
            "UPDATE read_audit SET user_id = 'x' WHERE user_id = :u",
            "DELETE FROM read_audit WHERE user_id = :u",
        ):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement), {"u": api.user_id})
    finally:
        engine.dispose()
    assert api.audit_count() == 1


def test_the_sqlite_file_holds_no_clinical_text(sqlite_api: Any, sqlite_file: Path) -> None:
    """Every table dumped, and the raw bytes of the file and its write-ahead log."""
    api = sqlite_api
    patient = api.patient()
    retried = {**api.headers, "Idempotency-Key": "sqlite-dump-1"}
    body = {"patientId": patient, "type": "note", "date": "2026-01-15", "subjective": SECRET}
    entry = api.ok(api.client.post("/api/records", json=body, headers=retried), 201)
    api.ok(api.sign(entry["id"]))
    amendment = {"text": "Ideación suicida previa"}
    api.ok(api.post(f"/api/records/{entry['id']}/amendments", amendment), 201)
    api.ok(api.post("/api/episodes", {"patientId": patient, "reason": "Fibromialgia"}), 201)
    psfs = {
        "patientId": patient,
        "instrument": "PSFS",
        "answers": [3],
        "activities": ["Cargar a mi nieta"],
    }
    api.ok(api.post("/api/measures", psfs), 201)
    assert api.ok(api.get(f"/api/records/{entry['id']}"))["subjective"] == SECRET

    with sqlite3.connect(sqlite_file) as conn:
        dump = "\n".join(conn.iterdump())
    raw = b"".join(path.read_bytes() for path in sqlite_file.parent.glob("records.sqlite*"))
    for clinical in (SECRET, "depresión", "Ideación", "Fibromialgia", "Cargar a mi nieta"):
        assert clinical not in dump
        assert clinical.encode() not in raw
    assert entry["id"].encode() in raw  # the rows are in the bytes searched
    key_id = api.client.app.state.services.cipher.current.key_id
    assert f"'{key_id}:" in dump  # the sealed values are there


def test_nothing_is_ever_deleted_on_sqlite(sqlite_api: Any) -> None:
    api = sqlite_api
    patient = api.patient()
    entry = api.draft(patient)
    episode = api.ok(api.post("/api/episodes", {"patientId": patient, "reason": "Gonalgia"}), 201)
    nprs = {"patientId": patient, "instrument": "NPRS", "answers": [3]}
    measure = api.ok(api.post("/api/measures", nprs), 201)
    for path in (
        f"/api/records/{entry['id']}",
        "/api/records",
        f"/api/episodes/{episode['id']}",
        "/api/episodes",
        f"/api/measures/{measure['id']}",
        "/api/measures",
        "/api/records/audit",
    ):
        assert api.client.delete(path, headers=api.admin).status_code == 405, path
    assert api.ok(api.get(f"/api/records/{entry['id']}"))["id"] == entry["id"]
