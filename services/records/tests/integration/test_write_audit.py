"""Every answer to a write carries clinical content, so each writes exactly one audit row,
naming what was done, in the writing transaction; an answer replayed for a retried
``Idempotency-Key`` writes one too. A refused write shows nothing and writes none."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from clinic_records.infrastructure.crypto import SealedAnswers
from clinic_records.infrastructure.replay_audit import AuditedReplays
from clinic_records.infrastructure.tables import idempotency_keys
from clinic_shared.db import create_engine_for, make_session_factory

pytestmark = pytest.mark.integration

SECRET = "Sospecha de maltrato en el domicilio"


def _rows(api: Any, user_id: str) -> list[tuple[str, str, str, str]]:
    """``user_id``'s audit rows, newest first: what, whose, which, with what roles."""
    found = api.ok(api.get("/api/records/audit", headers=api.admin, userId=user_id))["member"]
    return [(r["action"], r["patientId"], r["resourceId"], r["roles"]) for r in found]


def _request_ids(api: Any, user_id: str) -> list[str]:
    found = api.ok(api.get("/api/records/audit", headers=api.admin, userId=user_id))["member"]
    return [row["requestId"] for row in found]


def test_each_write_answer_writes_one_audit_row_naming_it(api: Any) -> None:
    patient = api.patient()
    answers = []

    def write(response: Any, status: int = 200) -> Any:
        answers.append(response)
        return api.ok(response, status)

    opened = {"patientId": patient, "reason": "Lumbalgia"}
    episode = write(api.post("/api/episodes", opened), 201)
    url = f"/api/episodes/{episode['id']}"
    changed = {"reason": "Lumbociatalgia", "practitionerId": api.user_id, "openedOn": "2026-01-10"}
    write(api.put(url, changed))
    draft = write(api.post("/api/records", _entry(patient, episodeId=episode["id"])), 201)
    entry_url = f"/api/records/{draft['id']}"
    write(api.put(entry_url, _fields(subjective="Mejor", episodeId=episode["id"])))
    write(api.sign(draft["id"]))
    nprs = {"patientId": patient, "instrument": "NPRS", "answers": [4]}
    measure_id = write(api.post("/api/measures", nprs), 201)["id"]
    write(api.post(f"{url}/discharge", {"reason": "Objetivos alcanzados"}))

    ids = (episode["id"], draft["id"], measure_id)
    assert _rows(api, api.user_id) == [
        ("episode.discharged", patient, ids[0], "ROLE_PRACTITIONER"),
        ("measure.taken", patient, ids[2], "ROLE_PRACTITIONER"),
        ("record.signed", patient, ids[1], "ROLE_PRACTITIONER"),
        ("record.updated", patient, ids[1], "ROLE_PRACTITIONER"),
        ("record.created", patient, ids[1], "ROLE_PRACTITIONER"),
        ("episode.updated", patient, ids[0], "ROLE_PRACTITIONER"),
        ("episode.opened", patient, ids[0], "ROLE_PRACTITIONER"),
    ]
    sent = [answer.headers["X-Request-ID"] for answer in reversed(answers)]
    assert _request_ids(api, api.user_id) == sent

    # A colleague's amendment is answered with the author's whole signed note: audited as theirs.
    amended = api.post(f"{entry_url}/amendments", {"text": SECRET}, headers=api.other)
    assert api.ok(amended, 201)["subjective"] == "Mejor"
    assert _rows(api, api.other_id) == [("record.amended", patient, ids[1], "ROLE_PRACTITIONER")]


def test_a_refused_write_shows_nothing_and_writes_no_row(api: Any) -> None:
    patient = api.patient()
    draft = api.draft(patient)
    url = f"/api/records/{draft['id']}"
    before = api.audit_count()
    refused = [
        api.post("/api/records", _entry(patient, painVas=11)),  # 422
        api.put(url, _fields(), if_match='"7"'),  # 412
        api.sign(draft["id"], headers=api.other),  # 403: another's draft
        api.post(f"{url}/amendments", {"text": SECRET}),  # 409: not signed yet
        api.post("/api/measures", {"patientId": patient, "instrument": "ODI", "answers": [9]}),
        api.post("/api/episodes/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/discharge", {"reason": "x"}),
    ]
    assert [r.status_code for r in refused] == [422, 412, 403, 409, 422, 404]
    assert api.audit_count() == before
    assert api.audit_count(api.other_id) == 0


def test_a_write_whose_audit_row_cannot_be_written_is_not_answered(
    api: Any, records_db_url: str
) -> None:
    """The row is written in the writing transaction: when it fails, nothing was written."""
    patient = api.patient()
    engine = create_engine(records_db_url)
    refuse = (
        "CREATE TRIGGER read_audit_refused_by_test BEFORE INSERT ON read_audit "
        "FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no audit now'"
    )
    try:
        with engine.begin() as conn:
            conn.execute(text(refuse))
        answer = api.post("/api/records", _entry(patient, subjective=SECRET))
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS read_audit_refused_by_test"))
        engine.dispose()
    assert answer.status_code == 500
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert SECRET not in answer.text
    assert api.ok(api.get("/api/records", patientId=patient))["member"] == []  # no draft kept


def test_a_replayed_answer_is_audited_like_the_first(api: Any) -> None:
    patient = api.patient()
    first, again = _twice(api, "/api/records", _entry(patient, subjective=SECRET), "draft-a")
    entry_id = first.json()["id"]
    api.ok(api.sign(entry_id))
    _twice(api, f"/api/records/{entry_id}/amendments", {"text": "Añadido"}, "amend-a", api.other)
    episode, _ = _twice(api, "/api/episodes", {"patientId": patient, "reason": "Gonalgia"}, "ep-a")
    nprs = {"patientId": patient, "instrument": "NPRS", "answers": [3]}
    measure, _ = _twice(api, "/api/measures", nprs, "measure-a")

    role = "ROLE_PRACTITIONER"
    episode_id, measure_id = episode.json()["id"], measure.json()["id"]
    assert _rows(api, api.user_id) == [
        ("measure.replayed", patient, measure_id, role),
        ("measure.taken", patient, measure_id, role),
        ("episode.replayed", patient, episode_id, role),
        ("episode.opened", patient, episode_id, role),
        ("record.signed", patient, entry_id, role),
        ("record.replayed", patient, entry_id, role),
        ("record.created", patient, entry_id, role),
    ]
    assert _request_ids(api, api.user_id)[5] == again.headers["X-Request-ID"]
    assert _rows(api, api.other_id) == [
        ("record.replayed", patient, entry_id, role),
        ("record.amended", patient, entry_id, role),
    ]


def test_a_replay_whose_audit_row_cannot_be_written_is_not_answered(
    api: Any, records_db_url: str
) -> None:
    patient = api.patient()
    headers = {**api.headers, "Idempotency-Key": "draft-b"}
    body = _entry(patient, subjective=SECRET)
    first = api.ok(api.client.post("/api/records", json=body, headers=headers), 201)
    app: Any = api.client.app
    services = app.state.services
    nowhere = create_engine_for(make_url(records_db_url).set(port=1), pool_size=1, max_overflow=0)
    broken = AuditedReplays(
        services.engine,
        idempotency_keys,
        SealedAnswers(services.cipher),
        make_session_factory(nowhere),
    )
    app.state.services = dataclasses.replace(services, idempotency=broken)
    try:
        answer = TestClient(app, raise_server_exceptions=False).post(
            "/api/records", json=body, headers=headers
        )
    finally:
        app.state.services = services
        nowhere.dispose()
    assert answer.status_code == 503
    assert SECRET not in answer.text
    assert api.audit_count() == 1  # the first answer's only
    again = api.client.post("/api/records", json=body, headers=headers)  # the audit is back
    assert (again.headers["Idempotent-Replayed"], api.ok(again, 201)) == ("true", first)
    assert api.audit_count() == 2


def _fields(**changes: Any) -> dict[str, Any]:
    """An entry's body for PUT: a treatment note of 15 January."""
    return {"type": "treatment", "date": "2026-01-15", **changes}


def _entry(patient_id: str, **changes: Any) -> dict[str, Any]:
    """A new entry's body for POST."""
    return {"patientId": patient_id, **_fields(**changes)}


def _twice(
    api: Any, path: str, body: Any, key: str, headers: dict[str, str] | None = None
) -> tuple[Any, Any]:
    """POST ``body`` twice with the same Idempotency-Key: the answer, then its replay."""
    sent = {**(headers or api.headers), "Idempotency-Key": key}
    first = api.client.post(path, json=body, headers=sent)
    again = api.client.post(path, json=body, headers=sent)
    assert first.status_code in (200, 201), first.text
    assert "Idempotent-Replayed" not in first.headers
    assert (again.headers["Idempotent-Replayed"], again.json()) == ("true", first.json())
    return first, again
