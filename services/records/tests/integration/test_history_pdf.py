"""GET /api/patients/{id}/clinical-history.pdf: the whole signed history read back with pypdf
(names, episodes, entries, amendments inline, measures and outcomes), in Spanish or English,
named after the patient, audited as one read; drafts and other patients stay out; a long
history comes in parts, each its own audited read."""

from __future__ import annotations

import dataclasses
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from clinic_records.application import history_pdf
from clinic_shared.contracts import example_payload
from clinic_shared.contracts import identity as identity_contracts
from clinic_shared.events import new_envelope

pytestmark = pytest.mark.integration

PATIENT_NAME = "Lucía Pérez & <b>Hijos</b>"
SUBJECTIVE = "Dolor lumbar irradiado a la pierna izquierda"
AMENDMENT = "Corrijo: irradiado a la pierna derecha"
DRAFT_TEXT = "Borrador que nadie más debe ver"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _staff(api: Any, user_id: str, full_name: str) -> None:
    data = {
        **example_payload("user.registered"),
        "userId": user_id,
        "fullName": full_name,
        "roles": ["ROLE_PRACTITIONER"],
        "active": True,
    }
    api.apply(new_envelope("user.registered", data, identity_contracts.PRODUCER))


def _history(api: Any) -> dict[str, Any]:
    """A patient with an episode, two signed entries (one amended), a draft and measures."""
    _staff(api, api.user_id, "Laura Gómez Ruiz")
    patient = api.patient(fullName=PATIENT_NAME)
    body = {"patientId": patient, "reason": "Lumbociática izquierda", "openedOn": "2026-10-01"}
    episode = api.ok(api.post("/api/episodes", body), 201)
    first = api.draft(patient, episodeId=episode["id"], date="2026-10-01", subjective=SUBJECTIVE)
    api.ok(api.sign(first["id"]))
    api.ok(api.post(f"/api/records/{first['id']}/amendments", {"text": AMENDMENT}), 201)
    second = api.draft(patient, type="evolution", date="2026-11-10", plan="Progresar carga")
    api.ok(api.sign(second["id"]))
    api.draft(patient, subjective=DRAFT_TEXT)  # unsigned: not part of the history
    api.draft(api.patient(), subjective="Otro paciente distinto")  # another patient's
    for day, answers in (
        ("2026-10-01", [5] * 5 + [0] * 5),
        ("2026-11-10", [3, 2, 1, 2, 1, 2, 1, 2, 1, 1]),
    ):
        measure = {
            "patientId": patient,
            "episodeId": episode["id"],
            "instrument": "ODI",
            "answers": answers,
            "takenOn": day,
        }
        api.ok(api.post("/api/measures", measure), 201)
    return {"patient": patient, "episode": episode}


def test_the_pdf_holds_the_whole_signed_history_in_spanish(api: Any) -> None:
    made = _history(api)
    patient = made["patient"]

    response = api.get(f"/api/patients/{patient}/clinical-history.pdf")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="clinical-history-{patient[:8]}.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    text = _text(response.content)
    for expected in (
        "Historia clínica",
        PATIENT_NAME,  # autoescaped: the markup is printed as text
        patient,
        "Lumbociática izquierda",
        "Laura Gómez Ruiz",
        SUBJECTIVE,
        "Enmienda de Laura Gómez Ruiz",
        AMENDMENT,
        "Progresar carga",
        "Evolución",
        "Dolor (EVA): 6/10",
        "Índice de discapacidad de Oswestry",
        "50,0 %",
        "32,0 %",
        "+18,0",  # the ODI improved by 18 points
        "art. 15 RGPD",
    ):
        assert expected in text, expected
    assert DRAFT_TEXT not in text
    assert "Otro paciente" not in text
    # Oldest first: the first visit before the evolution, the amendment right after its entry.
    assert text.index(SUBJECTIVE) < text.index(AMENDMENT) < text.index("Progresar carga")


def test_the_pdf_names_psfs_activities_and_how_long_an_episode_is_kept(api: Any) -> None:
    moment = datetime(2028, 2, 29, 10, 0, tzinfo=UTC)
    app = api.client.app
    app.state.services = dataclasses.replace(app.state.services, clock=lambda: moment)
    _staff(api, api.user_id, "Laura Gómez Ruiz")
    patient = api.patient(fullName="Iker Etxeberria")
    body = {"patientId": patient, "reason": "Gonalgia derecha", "openedOn": "2028-02-01"}
    episode = api.ok(api.post("/api/episodes", body), 201)
    psfs = {
        "patientId": patient,
        "episodeId": episode["id"],
        "instrument": "PSFS",
        "answers": [2, 6],
        "activities": ["Bajar escaleras", "Jugar a pelota"],
        "takenOn": "2028-02-01",
    }
    api.ok(api.post("/api/measures", psfs), 201)
    api.ok(api.post(f"/api/episodes/{episode['id']}/discharge", {"reason": "Alta"}))

    def words(lang: str) -> str:  # the PDF wraps lines where it likes
        pdf = api.get(f"/api/patients/{patient}/clinical-history.pdf", lang=lang).content
        return " ".join(_text(pdf).split())

    spanish = words("es")
    assert "Bajar escaleras: 2 · Jugar a pelota: 6" in spanish
    assert "Alta: 29/02/2028 · Se conserva al menos hasta: 28/02/2033" in spanish
    assert "Kept at least until: 28 Feb 2033" in words("en")


def test_the_pdf_in_english(api: Any) -> None:
    patient = _history(api)["patient"]
    response = api.get(f"/api/patients/{patient}/clinical-history.pdf", lang="en")
    assert response.status_code == 200, response.text
    text = _text(response.content)
    for expected in ("Clinical history", "Amendment by Laura Gómez Ruiz", "32.0 %", "Progress"):
        assert expected in text, expected
    assert api.get(f"/api/patients/{patient}/clinical-history.pdf", lang="fr").status_code == 422


def test_each_download_is_one_audited_read(api: Any) -> None:
    patient = _history(api)["patient"]
    before = api.audit_count()  # the answers to the writes that built the history
    for _ in range(2):
        assert api.get(f"/api/patients/{patient}/clinical-history.pdf").status_code == 200
    assert api.audit_count() == before + 2
    log = api.ok(api.get("/api/records/audit", headers=api.admin, userId=api.user_id))
    newest = log["member"][:3]
    assert [(r["action"], r["patientId"]) for r in newest[:2]] == [("history.pdf", patient)] * 2
    assert newest[2]["action"] != "history.pdf"


def test_a_long_history_comes_in_parts_each_an_audited_read(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_pdf, "ENTRIES_PER_PART", 2)
    _staff(api, api.user_id, "Laura Gómez Ruiz")
    patient = api.patient(fullName="Mikel Luzea")
    for day in range(1, 6):
        entry = api.draft(patient, date=f"2026-01-0{day}", subjective=f"Visita número {day}")
        api.ok(api.sign(entry["id"]))
    api.draft(patient, subjective=DRAFT_TEXT)  # a draft is no part of any part
    odi = {"patientId": patient, "instrument": "ODI", "answers": [2] * 10}
    api.ok(api.post("/api/measures", odi), 201)
    url = f"/api/patients/{patient}/clinical-history.pdf"
    before = api.audit_count()  # the answers to the writes above

    def part(number: int) -> tuple[str, Any]:
        response = api.get(url, part=number)
        assert response.status_code == 200, response.text
        assert response.headers["Clinical-History-Parts"] == "3"
        assert response.headers["Content-Disposition"].endswith(f'-part-{number}-of-3.pdf"')
        return " ".join(_text(response.content).split()), response

    first, _ = part(1)
    assert "Parte 1 de 3: anotaciones 1–2 de 5, por fecha." in first
    assert "Índice de discapacidad de Oswestry" in first  # part 1 holds the measures
    assert "Visita número 2" in first
    assert "Visita número 3" not in first
    second, _ = part(2)
    assert "Parte 2 de 3: anotaciones 3–4 de 5" in second
    assert "están en la parte 1" in second
    assert "Oswestry" not in second
    assert "Visita número 2" not in second
    assert second.index("Visita número 3") < second.index("Visita número 4")
    third, _ = part(3)
    assert "anotaciones 5–5 de 5" in third
    assert DRAFT_TEXT not in first + second + third
    assert api.get(url, part=4).status_code == 404
    assert api.get(url, part=0).status_code == 422
    # One read per part shown; the 404 and 422 showed nothing.
    assert api.audit_count() == before + 3


def test_a_short_history_is_one_part(api: Any) -> None:
    patient = _history(api)["patient"]
    response = api.get(f"/api/patients/{patient}/clinical-history.pdf")
    assert response.headers["Clinical-History-Parts"] == "1"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="clinical-history-{patient[:8]}.pdf"'
    )
    assert "Parte 1" not in _text(response.content)


def test_an_unknown_patient_is_404_and_not_audited(api: Any) -> None:
    response = api.get(f"/api/patients/{uuid.uuid4()}/clinical-history.pdf")
    assert response.status_code == 404
    assert api.audit_count() == 0


def test_a_patient_without_records_gets_an_empty_history(api: Any) -> None:
    patient = api.patient(fullName="Ana Sin Historia")
    response = api.get(f"/api/patients/{patient}/clinical-history.pdf", headers=api.admin)
    text = _text(response.content)
    assert response.status_code == 200
    for expected in ("Ana Sin Historia", "Sin episodios", "Sin medidas", "Sin anotaciones"):
        assert expected in text, expected
