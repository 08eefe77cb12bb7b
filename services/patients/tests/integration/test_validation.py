"""Bad input is a 422 problem naming each bad field, and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

TOMORROW_OR_LATER = "2999-01-01"


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"firstName": ""}, "firstName"),
        ({"firstName": "   "}, "firstName"),
        ({"firstName": None}, "firstName"),
        ({"firstName": "x" * 51}, "firstName"),
        ({"firstName": "1234"}, "firstName"),
        ({"lastName": ""}, "lastName"),
        ({"lastName": "x" * 101}, "lastName"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "ana@"}, "email"),
        ({"birthDate": "1990-02-30"}, "birthDate"),
        ({"birthDate": "12/03/1990"}, "birthDate"),
        ({"birthDate": 19900312}, "birthDate"),
        ({"birthDate": TOMORROW_OR_LATER}, "birthDate"),
        ({"birthDate": "1850-01-01"}, "birthDate"),
        ({"taxId": "12345678A"}, "taxId"),  # a DNI whose letter should be Z
        ({"taxId": "X1234567A"}, "taxId"),  # a NIE whose letter should be L
        ({"taxId": "1234 5678-Ñ"}, "taxId"),
        ({"taxId": "x" * 31}, "taxId"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "+34 6" + "1" * 20}, "phone"),
        ({"sex": "f"}, "sex"),
        ({"preferredLocale": "fr"}, "preferredLocale"),
        ({"status": "deleted"}, "status"),
        ({"dataConsentAt": "yesterday"}, "dataConsentAt"),
        ({"address": {"country": "Spain"}}, "address.country"),
        ({"address": {"postalCode": "28 001 XXXXXX"}}, "address.postalCode"),
        ({"address": {"zip": "28001"}}, "address.zip"),
        ({"emergencyContact": {"phone": "none"}}, "emergencyContact.phone"),
        ({"notes": "x" * 2001}, "notes"),
        ({"nickname": "Pepe"}, "nickname"),
        ({"id": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12"}, "id"),
        ({"version": 3}, "version"),
    ],
)
def test_each_bad_field_is_named(api, changes: dict[str, Any], field: str) -> None:
    assert _fields(api.create(**changes)) == {field}
    assert api.names() == api.names()  # the listing still works
    assert len(api.names(itemsPerPage=100)) == 15  # nothing was saved


def test_every_bad_field_is_reported_at_once(api) -> None:
    response = api.create(firstName="", email="x", birthDate=TOMORROW_OR_LATER, taxId="12345678A")
    assert _fields(response) == {"firstName", "email", "birthDate", "taxId"}


def test_missing_names_are_named(api) -> None:
    response = api.client.post("/api/patients", json={}, headers=api.headers)
    assert _fields(response) == {"firstName", "lastName"}


def test_malformed_json_is_422(api) -> None:
    response = api.client.post(
        "/api/patients",
        content=b'{"firstName": ',
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert _fields(response) == {"body"}


def test_put_validates_like_post(api) -> None:
    created = api.created()
    body = {**api.editable(created), "email": "broken", "status": "gone"}
    assert _fields(api.put(created["id"], body, '"1"')) == {"email", "status"}
    assert api.get(created["id"]).json()["version"] == 1


def test_documents_are_normalised_and_other_shapes_accepted(api) -> None:
    dni = api.created(taxId=" 87.654.321-x ")
    passport = api.created(firstName="Emma", taxId="pa-1234567", email=None, phone=None)
    assert (dni["taxId"], passport["taxId"]) == ("87654321X", "PA1234567")


def test_blank_optional_fields_mean_no_value(api) -> None:
    patient = api.created(email="", phone="  ", taxId="", birthDate="", occupation="")
    assert [patient[f] for f in ("email", "phone", "taxId", "birthDate", "occupation")] == [
        None
    ] * 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "deleted"}, "status"),
        ({"fuzzy": "maybe"}, "fuzzy"),
        ({"page": 0}, "page"),
        ({"itemsPerPage": 101}, "itemsPerPage"),
        ({"search": "x" * 101}, "search"),
        ({"search": "a b c d e f g h i"}, "search"),
        ({"search": "garcia", "page": 101, "itemsPerPage": 100}, "page"),
    ],
)
def test_bad_list_parameters_are_named(api, params: dict[str, Any], field: str) -> None:
    assert _fields(api.search(**params)) == {field}
