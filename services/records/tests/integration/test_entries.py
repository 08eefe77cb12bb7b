"""Entries over HTTP: drafts, If-Match, signing, immutability, amendments, the timeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clinic_records.infrastructure.tables import idempotency_keys

pytestmark = pytest.mark.integration


def test_a_draft_is_written_edited_signed_and_then_frozen(api: Any) -> None:
    patient = api.patient()
    draft = api.draft(patient)
    url = f"/api/records/{draft['id']}"
    assert (draft["status"], draft["authorId"], draft["painVas"], draft["date"]) == (
        "draft",
        api.user_id,
        6,
        "2026-01-15",
    )
    body = {"type": "treatment", "date": "2026-01-15", "subjective": "Mejor", "painVas": 4}
    assert api.put(url, body, if_match=None).status_code == 428
    assert api.put(url, body, if_match='"7"').status_code == 412
    assert api.put(url, body, headers=api.other).status_code == 403
    edited = api.ok(api.put(url, body, if_match='"1"'))
    assert (edited["subjective"], edited["objective"], edited["version"]) == ("Mejor", None, 2)

    assert api.sign(draft["id"], headers=api.other).status_code == 403
    signed = api.ok(api.sign(draft["id"]))
    assert (signed["status"], signed["signedBy"], signed["version"]) == ("signed", api.user_id, 3)
    assert signed["signedAt"]
    assert api.put(url, body).status_code == 409
    assert api.sign(draft["id"]).status_code == 409
    assert api.ok(api.get(url))["subjective"] == "Mejor"


def test_amendments_keep_the_original_and_show_with_it(api: Any) -> None:
    draft = api.draft(api.patient())
    url = f"/api/records/{draft['id']}"
    assert api.post(f"{url}/amendments", {"text": "x"}).status_code == 409  # a draft: edit it
    api.ok(api.sign(draft["id"]))
    api.ok(api.post(f"{url}/amendments", {"text": "Corrección: EVA 5"}), 201)
    entry = api.ok(api.post(f"{url}/amendments", {"text": "Añadido"}, headers=api.other), 201)
    assert entry["subjective"] == draft["subjective"]
    assert [(a["text"], a["authorId"]) for a in entry["amendments"]] == [
        ("Corrección: EVA 5", api.user_id),
        ("Añadido", api.other_id),
    ]
    assert api.ok(api.get(url))["amendments"] == entry["amendments"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"painVas": 11}, "painVas"),
        ({"date": (date.today() + timedelta(days=2)).isoformat()}, "date"),
        ({"type": "surgery"}, "type"),
    ],
)
def test_bad_input_is_422_naming_the_field(api: Any, changes: dict[str, Any], field: str) -> None:
    body = {"patientId": api.patient(), "type": "note", "date": "2026-01-15", **changes}
    response = api.post("/api/records", body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_unknown_patient_and_foreign_episode_are_422(api: Any) -> None:
    response = api.post(
        "/api/records",
        {"patientId": api.patient_event().data["patientId"], "type": "note", "date": "2026-01-15"},
    )
    assert response.json()["errors"][0]["field"] == "patientId"
    other = api.patient()
    episode = api.ok(api.post("/api/episodes", {"patientId": other, "reason": "Cervicalgia"}), 201)
    body = {
        "patientId": api.patient(),
        "type": "note",
        "date": "2026-01-15",
        "episodeId": episode["id"],
    }
    response = api.post("/api/records", body)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "episodeId")


def test_the_timeline_is_newest_first_in_pages_with_drafts_private(api: Any) -> None:
    patient = api.patient()
    for day in ("2026-01-10", "2026-01-12", "2026-01-11"):
        api.ok(api.sign(api.draft(patient, date=day)["id"]))
    api.draft(patient, date="2026-01-13")  # the practitioner's own draft
    api.draft(patient, headers=api.other, date="2026-01-14")  # a colleague's draft
    first = api.ok(api.get("/api/records", patientId=patient, itemsPerPage=3))
    assert [e["date"] for e in first["member"]] == ["2026-01-13", "2026-01-12", "2026-01-11"]
    assert first["view"]["next"]
    second = api.ok(api.get("/api/records", patientId=patient, itemsPerPage=3, page=2))
    assert [e["date"] for e in second["member"]] == ["2026-01-10"]
    assert second["view"]["next"] is None
    colleague = api.get("/api/records", headers=api.other, patientId=patient)
    assert len(api.ok(colleague)["member"]) == 4


def test_another_practitioners_draft_is_not_readable(api: Any) -> None:
    draft = api.draft(api.patient(), headers=api.other)
    assert api.get(f"/api/records/{draft['id']}").status_code == 403


def test_nothing_is_ever_deleted(api: Any) -> None:
    draft = api.draft(api.patient())
    for path in (f"/api/records/{draft['id']}", "/api/records", "/api/episodes"):
        assert api.client.delete(path, headers=api.admin).status_code == 405


def test_templates_in_both_languages(api: Any) -> None:
    found = api.ok(api.get("/api/record-templates", type="assessment", lang="en"))
    assert [(t["type"], t["lang"]) for t in found] == [("assessment", "en")]
    assert found[0]["subjective"].startswith("Main complaint")
    assert len(api.ok(api.get("/api/record-templates"))) == 5
    assert api.get("/api/record-templates", lang="fr").status_code == 422


def test_a_retried_idempotency_key_creates_one_draft(api: Any) -> None:
    patient = api.patient()
    headers = {**api.headers, "Idempotency-Key": "draft-1"}
    body = {"patientId": patient, "type": "note", "date": "2026-01-15", "plan": "Revisar rodilla"}
    first = api.ok(api.client.post("/api/records", json=body, headers=headers), 201)
    again = api.ok(api.client.post("/api/records", json=body, headers=headers), 201)
    assert again == first
    # The kept answer is clinical text too: sealed, never plain, in idempotency_keys.
    with api.session() as session, session.begin():
        kept = session.execute(select(idempotency_keys.c.body)).scalars().all()
    assert kept
    assert not any("Revisar rodilla" in (body or "") for body in kept)
    timeline = api.ok(api.get("/api/records", patientId=patient))
    assert [e["id"] for e in timeline["member"]] == [first["id"]]
