"""Every clinical read is audited (counted), the audit is append-only, the dump holds no text."""

from __future__ import annotations

import base64
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import DBAPIError

from clinic_records.infrastructure.audit import ParallelAudit
from clinic_records.infrastructure.crypto import Cipher, DataKey, new_key
from clinic_records.infrastructure.tables import amendments, entries, episodes
from clinic_shared.db import create_engine_for, make_session_factory

pytestmark = pytest.mark.integration

SECRET = "Antecedente de depresión mayor"


def test_every_answer_with_clinical_content_writes_one_audit_row(api: Any) -> None:
    patient = api.patient()
    entry = api.draft(patient)
    api.ok(api.sign(entry["id"]))
    episode = api.ok(api.post("/api/episodes", {"patientId": patient, "reason": "Lumbalgia"}), 201)
    # Each write's answer carries clinical text too: exactly one row each, naming what it was.
    writes = api.ok(api.get("/api/records/audit", headers=api.admin, userId=api.user_id))
    assert [(r["action"], r["resourceId"]) for r in writes["member"]] == [
        ("episode.opened", episode["id"]),
        ("record.signed", entry["id"]),
        ("record.created", entry["id"]),
    ]
    reads = [
        api.get(f"/api/records/{entry['id']}"),
        api.get("/api/records", patientId=patient),
        api.get("/api/records", patientId=patient, page=2),
        api.get(f"/api/episodes/{episode['id']}"),
        api.get("/api/episodes", patientId=patient),
    ]
    assert [r.status_code for r in reads] == [200] * 5
    assert api.audit_count() == 3 + len(reads)
    api.get("/api/record-templates")  # no clinical content: not audited
    assert api.audit_count() == 3 + len(reads)

    log = api.ok(api.get("/api/records/audit", headers=api.admin, userId=api.user_id))
    assert [row["action"] for row in log["member"][: len(reads)]] == [
        "episodes.read",
        "episode.read",
        "timeline.read",
        "timeline.read",
        "record.read",
    ]
    last = log["member"][len(reads) - 1]
    assert (last["patientId"], last["resourceId"], last["roles"]) == (
        patient,
        entry["id"],
        "ROLE_PRACTITIONER",
    )
    assert last["requestId"] == reads[0].headers["X-Request-ID"]
    by_patient = api.ok(api.get("/api/records/audit", headers=api.admin, patientId=patient))
    assert len(by_patient["member"]) == 3 + len(reads)
    paged = api.ok(
        api.get("/api/records/audit", headers=api.admin, userId=api.user_id, itemsPerPage=2)
    )
    assert (len(paged["member"]), bool(paged["view"]["next"])) == (2, True)
    later = api.get(
        "/api/records/audit",
        headers=api.admin,
        userId=api.user_id,
        **{"from": "2999-01-01T00:00:00Z"},
    )
    assert api.ok(later)["member"] == []


def test_the_audit_is_searched_between_two_instants(api: Any) -> None:
    """``from`` counts its own instant and ``to`` does not, so back-to-back ranges (the SPA's
    days) never show a read twice or miss one; an offset is read as the instant it names."""
    patient = api.patient()
    app: Any = api.client.app
    services = app.state.services
    moments = [datetime(2027, 3, 1, 9, tzinfo=UTC), datetime(2027, 3, 1, 10, tzinfo=UTC)]
    moments.append(datetime(2027, 3, 2, 9, tzinfo=UTC))
    try:
        for moment in moments:
            app.state.services = dataclasses.replace(services, clock=lambda at=moment: at)
            api.ok(api.get("/api/records", patientId=patient))
    finally:
        app.state.services = services

    def read_at(**bounds: str) -> list[datetime]:
        found = api.get("/api/records/audit", headers=api.admin, patientId=patient, **bounds)
        return [datetime.fromisoformat(row["readAt"]) for row in api.ok(found)["member"]]

    assert read_at() == moments[::-1]
    assert read_at(to="2027-03-01T10:00:00Z") == moments[:1]
    assert read_at(to="2027-03-01T11:00:00+01:00") == moments[:1]  # 10:00 UTC
    assert read_at(to="2027-03-01T10:00:00.000001Z") == moments[1::-1]
    assert read_at(**{"from": "2027-03-01T10:00:00Z", "to": "2027-03-02T09:00:00Z"}) == [moments[1]]
    assert read_at(to="2027-03-01T09:00:00Z") == []
    bad = api.get("/api/records/audit", headers=api.admin, to="yesterday")
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "to")
    assert bad.headers["Content-Type"] == "application/problem+json"


def test_a_timeline_whose_audit_row_cannot_be_written_is_not_answered(
    api: Any, records_db_url: str
) -> None:
    """The timeline's row is written beside the reads; when it fails, no clinical text leaves."""
    patient = api.patient()
    api.ok(api.sign(api.draft(patient, subjective=SECRET)["id"]))
    writes = api.audit_count()
    services = api.client.app.state.services
    nowhere = create_engine_for(make_url(records_db_url).set(port=1), pool_size=1, max_overflow=0)
    broken = ParallelAudit(make_session_factory(nowhere), workers=1)
    api.client.app.state.services = dataclasses.replace(services, read_audit=broken)
    try:
        answer = api.get("/api/records", patientId=patient)
    finally:
        api.client.app.state.services = services
        broken.close()
        nowhere.dispose()
    assert answer.status_code == 503
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert SECRET not in answer.text
    assert api.audit_count() == writes
    assert SECRET in api.get("/api/records", patientId=patient).text  # the real audit is back
    assert api.audit_count() == writes + 1


def test_a_refused_read_is_not_audited_and_only_admins_see_the_audit(api: Any) -> None:
    draft = api.draft(api.patient(), headers=api.other)
    assert api.get(f"/api/records/{draft['id']}").status_code == 403
    assert api.audit_count() == 0
    assert api.get("/api/records/audit").status_code == 403


def test_the_audit_table_refuses_update_and_delete(api: Any, records_db_url: str) -> None:
    api.get("/api/records", patientId=api.patient())
    engine = create_engine(records_db_url)
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


def test_a_dump_of_the_tables_holds_no_clinical_text(api: Any) -> None:
    patient = api.patient()
    entry = api.draft(patient, subjective=SECRET, plan="Punción seca en glúteo medio")
    api.ok(api.sign(entry["id"]))
    api.ok(
        api.post(f"/api/records/{entry['id']}/amendments", {"text": "Ideación suicida previa"}), 201
    )
    api.ok(api.post("/api/episodes", {"patientId": patient, "reason": "Fibromialgia"}), 201)
    with api.session() as session, session.begin():
        dumped = [
            *session.execute(select(entries).where(entries.c.id == entry["id"])).one(),
            *session.execute(select(amendments).where(amendments.c.entry_id == entry["id"])).one(),
            *session.execute(select(episodes).where(episodes.c.patient_id == patient)).one(),
        ]
    raw = " ".join(str(value) for value in dumped)
    for clinical in (SECRET, "depresión", "Punción", "Ideación", "Fibromialgia"):
        assert clinical not in raw
    key_id = api.client.app.state.services.cipher.current.key_id
    assert f"{key_id}:" in raw
    assert api.ok(api.get(f"/api/records/{entry['id']}"))["subjective"] == SECRET


def test_an_old_key_still_opens_after_rotation(
    api: Any, settings_factory: Any, client_factory: Any, token_factory: Any
) -> None:
    old = api.client.app.state.services.cipher.current
    assert isinstance(old, DataKey)
    patient = api.patient()
    entry = api.draft(patient, subjective=SECRET)
    rotated = f"{new_key('k2').text()},{old.text()}"
    client = client_factory(settings_factory(encryption_keys=rotated))
    headers = api.headers
    assert client.get(f"/api/records/{entry['id']}", headers=headers).json()["subjective"] == SECRET
    body = {"patientId": patient, "type": "note", "date": "2026-01-15", "plan": "Nuevo"}
    created = client.post("/api/records", json=body, headers=headers).json()
    with api.session() as session, session.begin():
        stored = session.execute(select(entries.c.plan).where(entries.c.id == created["id"]))
        assert stored.scalar_one().startswith("k2:")
    assert Cipher.from_text(rotated).current.key_id == "k2"
    assert base64.b64decode(old.text().split(":")[1]) == old.secret
