"""Issue 11 (input side) on patients: edge code points in searches, text rules, offsets,
edge dates, duplicate keys, no-store and the body limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"] for error in response.json()["errors"]}


# --- finding 2: identifier prefixes ending in edge code points ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ana@\ud7ff",
        "123\ud7ff",
        "ana@\uffff",
        "ana@\U0010ffff",
        "123\U0010ffff\U0010ffff",
        "ana@\ue000",
        "50713943\ud7ff",
    ],
)
def test_identifier_search_with_edge_code_points_is_answered(api: Any, text: str) -> None:
    response = api.search(text)
    assert response.status_code == 200, response.text
    assert response.json()["member"] == []


def test_identifier_prefix_still_finds_its_patient(api: Any) -> None:
    api.created()
    assert "Lucía Serrano Gil" in api.names("lucia.serrano@example")
    assert "Lucía Serrano Gil" in api.names("507139")


# --- finding 5: text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"firstName": "Ana\x00"}, "firstName"),
        ({"firstName": "A\x07na"}, "firstName"),
        ({"lastName": "Gil\u202eliG"}, "lastName"),
        ({"lastName": "Gil\u2066x\u2069"}, "lastName"),
        ({"firstName": "An\u200ba"}, "firstName"),
        ({"firstName": "\ufeffAna"}, "firstName"),
        ({"firstName": "Ana\u2060"}, "firstName"),
        ({"occupation": "Arqui\u200dtecta"}, "occupation"),
        ({"address": {"street": "Calle\x00Mayor"}}, "address.street"),
        ({"emergencyContact": {"name": "Pedro\u202e"}}, "emergencyContact.name"),
        ({"notes": "Alergia\x00"}, "notes"),
        ({"notes": "Alergia \u202elátex"}, "notes"),
        ({"taxId": "50713943R\x00"}, "taxId"),
    ],
)
def test_control_bidi_and_zero_width_characters_are_422(
    api: Any, changes: dict[str, Any], field: str
) -> None:
    assert _fields(api.create(**changes)) == {field}


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Zoë", "Ñúñez-O'Brien"),
        ("李", "小龙"),
        ("محمد", "علي"),
        ("Ἀθηνᾶ", "Παππᾶ"),
        ("Ana 😀", "Gil"),
    ],
)
def test_every_script_and_emoji_stay_allowed(api: Any, first: str, last: str) -> None:
    created = api.created(firstName=first, lastName=last, taxId=None, notes="Línea 1\nLínea 2")
    assert (created["firstName"], created["lastName"]) == (first, last)
    assert created["notes"] == "Línea 1\nLínea 2"


# --- findings 1 and 11: dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dataConsentAt": "2026-03-01T09:30:00"}, "dataConsentAt"),
        ({"dataConsentAt": "2026-03-01"}, "dataConsentAt"),
        ({"dataConsentAt": "0001-01-01T00:00:00+05:00"}, "dataConsentAt"),
        ({"dataConsentAt": "0001-01-01T00:00:00Z"}, "dataConsentAt"),
        ({"dataConsentAt": "9999-12-31T23:59:59-05:00"}, "dataConsentAt"),
        ({"birthDate": "0001-01-01"}, "birthDate"),
        ({"birthDate": "9999-12-31"}, "birthDate"),
    ],
)
def test_edge_and_offsetless_dates_are_422(api: Any, changes: dict[str, Any], field: str) -> None:
    assert _fields(api.create(**changes)) == {field}


def test_a_consent_with_its_offset_is_kept_as_utc(api: Any) -> None:
    created = api.created(dataConsentAt="2026-03-01T09:30:00+01:00")
    assert created["dataConsentAt"] == "2026-03-01T08:30:00Z"


# --- findings 7, 10 and 12 on this service --------------------------------------------------


def test_answers_are_no_store(api: Any) -> None:
    created = api.created()
    assert api.get(created["id"]).headers["cache-control"] == "no-store"
    assert api.search("Lucía").headers["cache-control"] == "no-store"


def test_a_duplicated_key_is_422_naming_it(api: Any) -> None:
    body = json.dumps(api.new_patient)[:-1] + ', "status": "active", "status": "inactive"}'
    headers = {**api.headers, "Content-Type": "application/json"}
    response = api.client.post("/api/patients", content=body, headers=headers)
    assert _fields(response) == {"status"}
    assert api.names("Serrano") == []


def test_a_body_over_one_mebibyte_is_413(api: Any) -> None:
    body = json.dumps({**api.new_patient, "notes": "x" * (1024 * 1024)})
    headers = {**api.headers, "Content-Type": "application/json"}
    response = api.client.post("/api/patients", content=body, headers=headers)
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
