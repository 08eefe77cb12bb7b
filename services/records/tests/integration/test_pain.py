"""The chart of pain over HTTP: the painVas of entries and the VAS/NPRS measures as one series,
oldest first, what the reader may see only, each read audited, receptionists refused."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _measure(api: Any, patient: str, instrument: str, answer: float, **body: Any) -> Any:
    values = {"patientId": patient, "instrument": instrument, "answers": [answer], **body}
    return api.ok(api.post("/api/measures", values), 201)


def test_pain_of_entries_and_pain_scales_in_one_series_oldest_first(api: Any) -> None:
    patient = api.patient()
    body = {"patientId": patient, "reason": "Lumbalgia", "openedOn": "2026-01-10"}
    episode = api.ok(api.post("/api/episodes", body), 201)
    first = api.draft(patient, date="2026-01-12", painVas=8, episodeId=episode["id"])
    api.ok(api.sign(first["id"]))
    vas = _measure(api, patient, "VAS", 6.5, takenOn="2026-01-20", episodeId=episode["id"])
    own_draft = api.draft(patient, date="2026-02-01", painVas=4, type="evolution")
    api.draft(patient, date="2026-02-02", painVas=None)  # no pain rated: not a point
    others = api.draft(patient, date="2026-02-03", painVas=9, headers=api.other)  # not ours
    nprs = _measure(api, patient, "NPRS", 3, takenOn="2026-02-10")
    odi = {"patientId": patient, "instrument": "ODI", "answers": [1] * 10}
    api.ok(api.post("/api/measures", odi), 201)  # not a pain scale: not a point
    api.draft(api.patient(), painVas=2)  # another patient's

    series = api.ok(api.get("/api/records/pain", patientId=patient))
    assert (series["patientId"], series["episodeId"]) == (patient, None)
    assert [
        (p["date"], p["pain"], p["source"], p["signed"], p["entryId"], p["measureId"])
        for p in series["points"]
    ] == [
        ("2026-01-12", 8.0, "entry", True, first["id"], None),
        ("2026-01-20", 6.5, "VAS", True, None, vas["id"]),
        ("2026-02-01", 4.0, "entry", False, own_draft["id"], None),
        ("2026-02-10", 3.0, "NPRS", True, None, nprs["id"]),
    ]
    assert [p["entryType"] for p in series["points"]] == ["treatment", None, "evolution", None]
    assert [p["episodeId"] for p in series["points"]] == [episode["id"], episode["id"], None, None]
    # The other practitioner sees their own draft and the signed entry, not ours.
    theirs = api.ok(api.get("/api/records/pain", headers=api.other, patientId=patient))
    assert [p["entryId"] or p["measureId"] for p in theirs["points"]] == [
        first["id"],
        vas["id"],
        others["id"],
        nprs["id"],
    ]
    of_episode = api.ok(api.get("/api/records/pain", patientId=patient, episodeId=episode["id"]))
    assert of_episode["episodeId"] == episode["id"]
    assert [p["source"] for p in of_episode["points"]] == ["entry", "VAS"]
    assert api.ok(api.get("/api/records/pain", patientId=api.patient()))["points"] == []


def test_every_read_of_the_pain_series_is_audited(api: Any) -> None:
    patient = api.patient()
    api.ok(api.sign(api.draft(patient, painVas=5)["id"]))
    _measure(api, patient, "NPRS", 4)
    writes = api.audit_count()  # the draft, the signed entry, the measure: one row each
    assert writes == 3
    reads = [
        api.get("/api/records/pain", patientId=patient),
        api.get("/api/records/pain", patientId=patient),
        api.get("/api/records/pain", headers=api.admin, patientId=patient),
    ]
    assert [r.status_code for r in reads] == [200] * 3
    assert api.audit_count() == writes + 2
    assert api.audit_count(api.admin_id) == 1
    log = api.ok(api.get("/api/records/audit", headers=api.admin, userId=api.user_id))
    assert [(r["action"], r["patientId"], r["resourceId"]) for r in log["member"][:2]] == [
        ("pain.read", patient, None),
        ("pain.read", patient, None),
    ]
    assert log["member"][0]["requestId"] == reads[1].headers["X-Request-ID"]


def test_receptionists_and_bad_queries_see_no_pain(api: Any) -> None:
    patient = api.patient()
    api.ok(api.sign(api.draft(patient, painVas=7)["id"]))
    writes = api.audit_count()
    refused = api.get("/api/records/pain", headers=api.receptionist, patientId=patient)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    missing = api.get("/api/records/pain")
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (422, "patientId")
    assert api.get("/api/records/pain", patientId="not-a-uuid").status_code == 422
    assert api.audit_count() == writes  # nothing shown, nothing audited
