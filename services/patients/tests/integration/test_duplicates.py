"""A tax id already registered is a 409 naming the patient; similar people are flagged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def _jose(api) -> dict:
    return next(p for p in api.search("jose garcia nunez").json()["member"])


def test_registering_a_taken_tax_id_is_409_naming_the_existing_patient(api) -> None:
    jose = _jose(api)

    response = api.create(taxId="12345678-z")

    assert response.status_code == 409
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["existingPatientId"] == jose["id"]
    assert problem["errors"] == [
        {"field": "taxId", "message": "is already registered for another patient"}
    ]
    assert len(api.names(itemsPerPage=100)) == 15


def test_editing_into_a_taken_tax_id_is_409_and_keeping_ones_own_is_fine(api) -> None:
    jose = _jose(api)
    created = api.created()

    taken = api.put(created["id"], {**api.editable(created), "taxId": "12345678Z"}, '"1"')
    own = api.put(jose["id"], {**api.editable(jose), "notes": "Revisión"}, '"1"')

    assert taken.status_code == 409
    assert taken.json()["existingPatientId"] == jose["id"]
    assert own.status_code == 200


def test_a_similar_name_with_the_same_birth_date_is_a_possible_duplicate(api) -> None:
    jose = _jose(api)

    created = api.created(
        firstName="Jose", lastName="Garcia", birthDate="1978-04-12", taxId=None, email=None
    )
    other_day = api.created(
        firstName="Jose", lastName="Garcia", birthDate="1978-04-13", taxId=None, email=None
    )

    assert created["possibleDuplicates"] == [
        {
            "id": jose["id"],
            "fullName": "José García Núñez",
            "birthDate": "1978-04-12",
            "taxId": "12345678Z",
        }
    ]
    assert other_day["possibleDuplicates"] == []


def test_the_duplicate_check_reports_tax_id_and_similar_names_with_reasons(api) -> None:
    jose = _jose(api)
    check = {"firstName": "José", "lastName": "Garsía", "birthDate": "1978-04-12"}

    similar = api.client.post("/api/patients/duplicate-check", json=check, headers=api.headers)
    by_document = api.client.post(
        "/api/patients/duplicate-check",
        json={"firstName": "Otro", "lastName": "Nombre", "taxId": "12345678z"},
        headers=api.headers,
    )
    excluded = api.client.post(
        "/api/patients/duplicate-check",
        json={**check, "taxId": "12345678Z", "excludeId": jose["id"]},
        headers=api.headers,
    )

    assert similar.status_code == 200
    assert [(m["id"], m["reason"]) for m in similar.json()["member"]] == [
        (jose["id"], "similarName")
    ]
    assert [(m["id"], m["reason"]) for m in by_document.json()["member"]] == [(jose["id"], "taxId")]
    assert excluded.json()["member"] == []


def test_without_a_birth_date_only_the_same_name_is_reported(api) -> None:
    same = {"firstName": "JOSE", "lastName": "garcia nuñez"}
    typo = {"firstName": "Jose", "lastName": "Garcia Nunes"}

    found = api.client.post("/api/patients/duplicate-check", json=same, headers=api.headers)
    not_found = api.client.post("/api/patients/duplicate-check", json=typo, headers=api.headers)

    assert [m["fullName"] for m in found.json()["member"]] == ["José García Núñez"]
    assert not_found.json()["member"] == []


def test_the_duplicate_check_validates_its_input(api) -> None:
    response = api.client.post(
        "/api/patients/duplicate-check", json={"lastName": "X", "extra": 1}, headers=api.headers
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"firstName", "extra"}
