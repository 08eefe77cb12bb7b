"""Episodes of care over HTTP: open, list, read with entries, edit (If-Match), discharge."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_an_episode_is_opened_edited_read_and_discharged(api: Any) -> None:
    patient = api.patient()
    body = {"patientId": patient, "reason": "Lumbalgia mecánica", "bodyRegion": "lumbar"}
    episode = api.ok(api.post("/api/episodes", body), 201)
    assert (episode["practitionerId"], episode["dischargedOn"], episode["version"]) == (
        api.user_id,
        None,
        1,
    )
    url = f"/api/episodes/{episode['id']}"
    change = {"practitionerId": api.user_id, "reason": "Lumbociática", "openedOn": "2026-01-02"}
    assert api.put(url, change, if_match=None).status_code == 428
    assert api.put(url, change, if_match='"9"').status_code == 412
    edited = api.ok(api.put(url, change, if_match='"1"'))
    assert (edited["reason"], edited["bodyRegion"], edited["version"]) == ("Lumbociática", None, 2)
    entry = api.draft(patient, episodeId=episode["id"])
    api.ok(api.sign(entry["id"]))
    read = api.ok(api.get(url))
    assert [e["id"] for e in read["entries"]] == [entry["id"]]
    done = api.ok(api.post(f"{url}/discharge", {"reason": "Objetivos alcanzados"}))
    assert (done["dischargeReason"], done["version"]) == ("Objetivos alcanzados", 3)
    assert done["dischargedOn"]
    assert api.post(f"{url}/discharge", {"reason": "otra"}).status_code == 409
    assert api.put(url, change).status_code == 409
    listed = api.ok(api.get("/api/episodes", patientId=patient))
    assert [e["id"] for e in listed["member"]] == [episode["id"]]


def test_unknown_patient_or_practitioner_is_422(api: Any) -> None:
    unknown = api.patient_event().data["patientId"]
    response = api.post("/api/episodes", {"patientId": unknown, "reason": "x"})
    assert response.json()["errors"][0]["field"] == "patientId"
    body = {"patientId": api.patient(), "reason": "x", "practitionerId": "nobody"}
    response = api.post("/api/episodes", body, headers=api.admin)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "practitionerId")
    assert api.get("/api/episodes/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f").status_code == 404


def test_a_discharged_episode_shows_until_when_it_is_kept(api: Any) -> None:
    # Discharged on 29 February 2028: five years later has no 29 February, so the term of
    # Ley 41/2002 art. 17 ends on 28 February 2033 (date to date, Código Civil art. 5.1).
    moment = datetime(2028, 2, 29, 10, 0, tzinfo=UTC)
    app = api.client.app
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)
    patient = api.patient()
    body = {"patientId": patient, "reason": "Lumbalgia mecánica", "openedOn": "2028-02-01"}
    episode = api.ok(api.post("/api/episodes", body), 201)
    url = f"/api/episodes/{episode['id']}"
    assert episode["retainUntil"] is None
    assert api.ok(api.get(url))["retainUntil"] is None

    done = api.ok(api.post(f"{url}/discharge", {"reason": "Objetivos alcanzados"}))
    assert (done["dischargedOn"], done["retainUntil"]) == ("2028-02-29", "2033-02-28")
    assert api.ok(api.get(url))["retainUntil"] == "2033-02-28"
    still_open = api.ok(api.post("/api/episodes", {**body, "reason": "Cervicalgia"}), 201)
    listed = api.ok(api.get("/api/episodes", patientId=patient))["member"]
    assert {e["id"]: e["retainUntil"] for e in listed} == {
        episode["id"]: "2033-02-28",
        still_open["id"]: None,
    }
    # Kept means kept: there is no way to delete an episode, open or discharged.
    assert api.client.delete(url, headers=api.headers).status_code == 405
