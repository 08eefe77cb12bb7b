"""Outcome measures over HTTP: scored by each instrument's rules, 422 naming the field, read
oldest first and audited, never changed or deleted, sealed at rest; an episode's outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from clinic_records.infrastructure.tables import measures

pytestmark = pytest.mark.integration

ODI_16 = [3, 2, 1, 2, 1, 2, 1, 2, 1, 1]  # 16 of 50 → 32 % (the ODI scoring notes' example)
PSFS_ACTIVITIES = ["Subir escaleras con bolsas", "Correr 5 km", "Arrodillarse en misa"]


def _episode(api: Any, patient: str, **body: Any) -> Any:
    values = {"patientId": patient, "reason": "Lumbalgia mecánica", **body}
    return api.ok(api.post("/api/episodes", values), 201)


def _measure(api: Any, patient: str, instrument: str, answers: list[Any], **body: Any) -> Any:
    values = {"patientId": patient, "instrument": instrument, "answers": answers, **body}
    return api.ok(api.post("/api/measures", values), 201)


def test_an_odi_is_scored_stored_and_read_back(api: Any) -> None:
    patient = api.patient()
    episode = _episode(api, patient, openedOn="2026-11-02")
    body = {
        "patientId": patient,
        "episodeId": episode["id"],
        "instrument": "ODI",
        "answers": ODI_16,
        "takenOn": "2026-11-02",
    }
    response = api.post("/api/measures", body)
    created = api.ok(response, 201)
    assert response.headers["Location"] == f"/api/measures/{created['id']}"
    assert {k: v for k, v in created.items() if k not in {"id", "createdAt"}} == {
        "patientId": patient,
        "episodeId": episode["id"],
        "instrument": "ODI",
        "name": "Oswestry Disability Index 2.1a",
        "answers": ODI_16,
        "activities": None,
        "score": 32.0,
        "percent": 32.0,
        "scoreMax": 100.0,
        "unit": "%",
        "answered": 10,
        "missing": 0,
        "takenOn": "2026-11-02",
        "takenBy": api.user_id,
        "direction": "lower_is_better",
        "mcid": 10.0,
    }
    assert api.ok(api.get(f"/api/measures/{created['id']}")) == created


@pytest.mark.parametrize(
    ("instrument", "answers", "expected"),
    [
        # The ODI notes: one section missed divides by 45 (16/45 = 35.56 → 35.6).
        ("ODI", [3, 2, 1, 2, 1, 2, 1, 2, 2, None], {"score": 35.6, "missing": 1}),
        ("NDI", [2] * 10, {"score": 20.0, "percent": 40.0, "unit": "points"}),
        ("quickdash", [2] * 11, {"instrument": "QuickDASH", "score": 25.0}),
        ("PSFS", [4, 6, 8], {"score": 6.0, "direction": "higher_is_better", "answered": 3}),
        ("NDI", [1] * 10, {"activities": None}),
        ("VAS", [6.5], {"score": 6.5, "answers": [6.5], "percent": None}),
        ("NPRS", [7], {"score": 7.0, "mcid": 2.0}),
    ],
)
def test_each_instrument_is_scored_through_the_api(
    api: Any, instrument: str, answers: list[Any], expected: dict[str, Any]
) -> None:
    names = {"activities": PSFS_ACTIVITIES[: len(answers)]} if instrument == "PSFS" else {}
    created = _measure(api, api.patient(), instrument, answers, **names)
    assert {key: created[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": ODI_16[:9]}, "answers"),
        ({"answers": [*ODI_16[:3], 6, *ODI_16[4:]]}, "answers.3"),
        ({"answers": [None, None, None, *ODI_16[3:]]}, "answers"),
        ({"instrument": "SF-36"}, "instrument"),
        ({"instrument": "QuickDASH", "answers": [3] * 9 + [None, None]}, "answers"),
        ({"instrument": "NPRS", "answers": [6.5]}, "answers.0"),
        ({"instrument": "PSFS", "answers": [4, None], "activities": ["a", "b"]}, "answers.1"),
        ({"answers": [True, *ODI_16[1:]]}, "answers.0"),
        ({"answers": ["3", *ODI_16[1:]]}, "answers.0"),
        ({"takenOn": "2999-01-01"}, "takenOn"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_input_is_422_naming_the_field(api: Any, changes: dict[str, Any], field: str) -> None:
    body = {"patientId": api.patient(), "instrument": "ODI", "answers": ODI_16, **changes}
    response = api.post("/api/measures", body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text


def test_unknown_patient_or_episode_and_foreign_episode_are_422(api: Any) -> None:
    patient = api.patient()
    unknown = api.patient_event().data["patientId"]
    foreign = _episode(api, api.patient())
    mine = _episode(api, patient, openedOn="2026-11-02")
    cases = [
        ({"patientId": unknown}, "patientId"),
        ({"episodeId": "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"}, "episodeId"),
        ({"episodeId": foreign["id"]}, "episodeId"),
        ({"episodeId": mine["id"], "takenOn": "2026-11-01"}, "takenOn"),  # before it opened
    ]
    for changes, field in cases:
        body = {"patientId": patient, "instrument": "ODI", "answers": ODI_16, **changes}
        response = api.post("/api/measures", body)
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, field)
    assert api.get("/api/measures", patientId=patient).json()["member"] == []


def test_measures_list_oldest_first_filtered_in_pages(api: Any) -> None:
    patient = api.patient()
    episode = _episode(api, patient, openedOn="2026-10-01")
    later = _measure(api, patient, "NPRS", [5], takenOn="2026-11-20", episodeId=episode["id"])
    first = _measure(api, patient, "NPRS", [8], takenOn="2026-10-01", episodeId=episode["id"])
    odi = _measure(api, patient, "ODI", ODI_16, takenOn="2026-10-15")
    _measure(api, api.patient(), "NPRS", [3])  # another patient's

    listed = api.ok(api.get("/api/measures", patientId=patient))
    assert [m["id"] for m in listed["member"]] == [first["id"], odi["id"], later["id"]]
    nprs = api.ok(api.get("/api/measures", patientId=patient, instrument="nprs"))
    assert [m["score"] for m in nprs["member"]] == [8.0, 5.0]
    of_episode = api.ok(api.get("/api/measures", patientId=patient, episodeId=episode["id"]))
    assert [m["id"] for m in of_episode["member"]] == [first["id"], later["id"]]
    paged = api.ok(api.get("/api/measures", patientId=patient, itemsPerPage=2))
    assert (len(paged["member"]), bool(paged["view"]["next"])) == (2, True)
    bad = api.get("/api/measures", patientId=patient, instrument="SF-36")
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "instrument")
    assert api.get("/api/measures/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f").status_code == 404


def test_every_read_of_measures_and_outcomes_is_audited(api: Any) -> None:
    patient = api.patient()
    episode = _episode(api, patient)
    taken = _measure(api, patient, "NDI", [1] * 10, episodeId=episode["id"])
    # The answers to opening the episode and taking the measure: one row each.
    before = api.audit_count()
    assert before == 2
    reads = [
        api.get(f"/api/measures/{taken['id']}"),
        api.get("/api/measures", patientId=patient),
        api.get("/api/measures", patientId=patient, episodeId=episode["id"]),
        api.get(f"/api/episodes/{episode['id']}/outcomes"),
    ]
    assert [r.status_code for r in reads] == [200] * 4
    assert api.audit_count() == before + len(reads)
    assert api.get("/api/measures/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f").status_code == 404
    assert api.get("/api/episodes/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/outcomes").status_code == 404
    assert api.audit_count() == before + len(reads)  # nothing shown, nothing audited

    log = api.ok(api.get("/api/records/audit", headers=api.admin, userId=api.user_id))
    assert [(r["action"], r["patientId"], r["resourceId"]) for r in log["member"]] == [
        ("outcomes.read", patient, episode["id"]),
        ("measures.read", patient, episode["id"]),
        ("measures.read", patient, None),
        ("measure.read", patient, taken["id"]),
        ("measure.taken", patient, taken["id"]),
        ("episode.opened", patient, episode["id"]),
    ]


def test_psfs_activity_names_are_stored_and_read_back(api: Any) -> None:
    patient = api.patient()
    names = ["  Subir escaleras con bolsas ", "Correr 5 km"]
    created = _measure(api, patient, "PSFS", [3, 8], activities=names)
    assert (created["answers"], created["activities"], created["score"]) == (
        [3, 8],
        ["Subir escaleras con bolsas", "Correr 5 km"],  # trimmed
        5.5,
    )
    assert api.ok(api.get(f"/api/measures/{created['id']}"))["activities"] == created["activities"]
    listed = api.ok(api.get("/api/measures", patientId=patient, instrument="PSFS"))["member"]
    assert [m["activities"] for m in listed] == [created["activities"]]
    odi = _measure(api, patient, "ODI", ODI_16)
    assert api.ok(api.get(f"/api/measures/{odi['id']}"))["activities"] is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "activities", "the PSFS needs the name of each rated activity"),
        ({"activities": None}, "activities", "the PSFS needs the name of each rated activity"),
        ({"activities": ["Subir escaleras"]}, "activities", "2 answers, 1 name"),
        ({"activities": ["a", "b", "c"]}, "activities", "2 answers, 3 names"),
        ({"activities": ["Subir escaleras", "  "]}, "activities.1", "must name the activity"),
        ({"activities": ["x" * 101, "Correr"]}, "activities.0", "100"),
        ({"activities": ["Subir\nescaleras", "Correr"]}, "activities.0", "control"),
        ({"activities": ["Correr", 5]}, "activities.1", ""),
        ({"activities": "Correr, nadar"}, "activities", ""),
        (
            {"instrument": "ODI", "answers": ODI_16, "activities": ["Correr"]},
            "activities",
            "only the PSFS names activities; ODI has none",
        ),
        (
            {"instrument": "NPRS", "answers": [4], "activities": []},
            "activities",
            "only the PSFS names activities; NPRS has none",
        ),
    ],
)
def test_bad_activity_names_are_422_naming_the_field(
    api: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    patient = api.patient()
    body = {"patientId": patient, "instrument": "PSFS", "answers": [4, 6], **changes}
    response = api.post("/api/measures", body)
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors, response.text
    assert message in errors[field]
    assert api.get("/api/measures", patientId=patient).json()["member"] == []


def test_a_measure_is_never_changed_or_deleted(api: Any) -> None:
    taken = _measure(api, api.patient(), "NPRS", [4])
    url = f"/api/measures/{taken['id']}"
    assert api.client.delete(url, headers=api.headers).status_code == 405
    assert api.put(url, {"answers": [2]}).status_code == 405
    assert api.client.patch(url, json={}, headers=api.headers).status_code == 405
    assert api.client.delete("/api/measures", headers=api.headers).status_code == 405
    assert api.ok(api.get(url))["score"] == 4.0


def test_answers_scores_and_activity_names_are_sealed_at_rest(api: Any) -> None:
    taken = _measure(api, api.patient(), "PSFS", [3, 7, 9], activities=PSFS_ACTIVITIES)
    with api.session() as session, session.begin():
        row = session.execute(select(measures).where(measures.c.id == taken["id"])).one()
    key_id = api.client.app.state.services.cipher.current.key_id
    assert row.data.startswith(f"{key_id}:")
    assert "answers" not in row.data
    assert "6.3" not in row.data
    plain_columns = " ".join(str(value) for value in row)
    for name in PSFS_ACTIVITIES:
        assert name not in plain_columns
        assert name.split()[0] not in plain_columns
    assert (row.instrument, row.patient_id) == ("PSFS", taken["patientId"])


def test_an_episode_shows_baseline_latest_discharge_and_the_mcid(api: Any) -> None:
    patient = api.patient()
    episode = _episode(api, patient, openedOn="2026-10-01")
    other = _episode(api, patient, reason="Cervicalgia", openedOn="2026-10-01")
    in_episode = {"episodeId": episode["id"]}
    odi_0 = _measure(api, patient, "ODI", [5] * 5 + [0] * 5, takenOn="2026-10-01", **in_episode)
    _measure(api, patient, "NPRS", [7], takenOn="2026-10-01", **in_episode)
    _measure(api, patient, "ODI", [3] * 5 + [0] * 5, takenOn="2026-10-20", **in_episode)
    odi_2 = _measure(api, patient, "ODI", [2] * 5 + [0] * 5, takenOn="2026-11-10", **in_episode)
    _measure(api, patient, "NPRS", [6], takenOn="2026-11-10", **in_episode)
    _measure(api, patient, "NDI", [4] * 10, episodeId=other["id"])  # another episode's
    url = f"/api/episodes/{episode['id']}/outcomes"

    found = api.ok(api.get(url))
    assert (found["episodeId"], found["patientId"], found["dischargedOn"]) == (
        episode["id"],
        patient,
        None,
    )
    odi, nprs = found["outcomes"]
    assert odi == {
        "instrument": "ODI",
        "name": "Oswestry Disability Index 2.1a",
        "direction": "lower_is_better",
        "unit": "%",
        "count": 3,
        "baseline": {"measureId": odi_0["id"], "takenOn": "2026-10-01", "score": 50.0},
        "latest": {"measureId": odi_2["id"], "takenOn": "2026-11-10", "score": 20.0},
        "discharge": None,
        "change": 30.0,
        "mcid": 10.0,
        "mcidSource": "Ostelo et al. 2008",
        "reachesMcid": True,
    }
    assert (nprs["instrument"], nprs["change"], nprs["reachesMcid"]) == ("NPRS", 1.0, False)

    api.ok(api.post(f"/api/episodes/{episode['id']}/discharge", {"reason": "Alta por mejoría"}))
    closed = api.ok(api.get(url))
    assert closed["dischargedOn"]
    assert closed["outcomes"][0]["discharge"] == odi["latest"]
    assert api.ok(api.get(f"/api/episodes/{other['id']}/outcomes"))["outcomes"][0]["count"] == 1
    empty = _episode(api, api.patient())
    assert api.ok(api.get(f"/api/episodes/{empty['id']}/outcomes"))["outcomes"] == []
