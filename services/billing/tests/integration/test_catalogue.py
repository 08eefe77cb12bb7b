"""The service catalogue (VAT rules, admin-only writes) and insurers' agreed prices."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def item(**changes: Any) -> dict[str, Any]:
    return {
        "code": "HID",
        "nameEs": "Hidroterapia",
        "nameEn": "Hydrotherapy",
        "price": "30",
        "vatRate": 0,
        "exemption": "health_care",
        "appointmentType": "hydrotherapy",
        **changes,
    }


def editable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in {"code", "version"}}


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_everyone_at_the_desk_reads_the_catalogue(api) -> None:
    items = api.ok(api.get("/api/catalogue"))["member"]
    assert [i["code"] for i in items] == ["BAN", "FIS", "MAS", "PUN", "SPE", "VAL"]
    assert items[1] == {
        "code": "FIS",
        "nameEs": "Sesión de fisioterapia",
        "nameEn": "Physiotherapy session",
        "price": "40.00",
        "vatRate": "0.00",
        "exemption": "health_care",
        "appointmentType": "follow_up",
        "active": True,
        "version": 1,
    }
    assert (items[0]["vatRate"], items[0]["exemption"]) == ("21.00", None)
    one = api.get("/api/catalogue/fis")
    assert (api.ok(one)["code"], one.headers["ETag"]) == ("FIS", '"1"')
    assert api.get("/api/catalogue/NOPE").status_code == 404


def test_admins_add_items_and_receptionists_may_not(api) -> None:
    assert api.post("/api/catalogue", item()).status_code == 403
    response = api.post("/api/catalogue", item(code="hid"), headers=api.admin)
    body = api.ok(response, 201)
    assert (body["code"], body["price"], body["version"]) == ("HID", "30.00", 1)
    assert response.headers["Location"] == "/api/catalogue/HID"
    assert response.headers["ETag"] == '"1"'
    again = api.post("/api/catalogue", item(appointmentType=None), headers=api.admin)
    assert (again.status_code, fields(again)) == (409, ["code"])


def test_a_product_carries_vat(api) -> None:
    product = item(code="CRE", vatRate="21", exemption=None, appointmentType=None, price="9.95")
    body = api.ok(api.post("/api/catalogue", product, headers=api.admin), 201)
    assert (body["vatRate"], body["exemption"], body["price"]) == ("21.00", None, "9.95")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vatRate": "0", "exemption": None}, "exemption"),  # 0 % must say why
        ({"vatRate": "21", "exemption": "health_care"}, "exemption"),  # taxed is not exempt
        ({"vatRate": "7", "exemption": None}, "vatRate"),
        ({"vatRate": 21.0, "exemption": None}, "vatRate"),
        ({"exemption": "education"}, "exemption"),
        ({"price": 30.5}, "price"),  # never a float
        ({"price": "30.505"}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": True}, "price"),
        ({"code": "A B"}, "code"),
        ({"nameEs": ""}, "nameEs"),
    ],
)
def test_bad_items_are_422_naming_the_field(api, changes: dict[str, Any], field: str) -> None:
    response = api.post("/api/catalogue", item(**changes), headers=api.admin)
    assert response.status_code == 422, response.text
    assert fields(response) == [field]


def test_an_appointment_type_is_charged_by_one_item(api) -> None:
    taken = api.post("/api/catalogue", item(appointmentType="follow_up"), headers=api.admin)
    assert (taken.status_code, fields(taken)) == (409, ["appointmentType"])


def test_admins_change_an_item_with_if_match(api) -> None:
    current = api.ok(api.get("/api/catalogue/FIS"))
    changed = {**editable(current), "price": "42.50"}
    assert api.put("/api/catalogue/FIS", changed, if_match='"1"').status_code == 403
    assert (
        api.put("/api/catalogue/FIS", changed, if_match=None, headers=api.admin).status_code == 428
    )
    assert (
        api.put("/api/catalogue/FIS", changed, if_match='"9"', headers=api.admin).status_code == 412
    )
    response = api.put("/api/catalogue/fis", changed, if_match='"1"', headers=api.admin)
    body = api.ok(response)
    assert (body["price"], body["version"], response.headers["ETag"]) == ("42.50", 2, '"2"')
    clash = {**changed, "appointmentType": "first_visit"}
    response = api.put("/api/catalogue/FIS", clash, headers=api.admin)
    assert (response.status_code, fields(response)) == (409, ["appointmentType"])
    missing = api.put("/api/catalogue/NOPE", changed, headers=api.admin)
    assert missing.status_code == 404


def insurer(api: Any) -> dict[str, Any]:
    body = {"kind": "insurer", "name": "Mutua Demo", "taxId": "B12345674"}
    return api.ok(api.post("/api/customers", body), 201)


def test_an_insurers_agreed_prices_are_replaced_by_admins(api) -> None:
    mutua = insurer(api)
    url = f"/api/customers/{mutua['id']}/prices"
    listed = api.get(url)
    assert (api.ok(listed), listed.headers["ETag"]) == ([], '"1"')
    prices = [{"serviceCode": "fis", "price": "32"}, {"serviceCode": "VAL", "price": 45}]
    assert api.put(url, prices, if_match='"1"').status_code == 403
    assert api.put(url, prices, if_match=None, headers=api.admin).status_code == 428
    response = api.put(url, prices, if_match='"1"', headers=api.admin)
    assert api.ok(response) == [
        {"serviceCode": "FIS", "price": "32.00"},
        {"serviceCode": "VAL", "price": "45.00"},
    ]
    assert response.headers["ETag"] == '"2"'
    assert api.put(url, prices, if_match='"1"', headers=api.admin).status_code == 412
    assert api.ok(api.get(f"/api/customers/{mutua['id']}"))["version"] == 2
    api.ok(api.put(url, [prices[1]], if_match='"2"', headers=api.admin))
    assert api.ok(api.get(url)) == [{"serviceCode": "VAL", "price": "45.00"}]


@pytest.mark.parametrize(
    ("prices", "field"),
    [
        ([{"serviceCode": "NOPE", "price": "1"}], "0.serviceCode"),
        (
            [{"serviceCode": "FIS", "price": "1"}, {"serviceCode": "FIS", "price": "2"}],
            "1.serviceCode",
        ),
        ([{"serviceCode": "FIS", "price": "-1"}], "0.price"),
        ([{"serviceCode": "FIS", "price": 1.5}], "0.price"),
    ],
)
def test_bad_agreed_prices_are_422(api, prices: list[Any], field: str) -> None:
    url = f"/api/customers/{insurer(api)['id']}/prices"
    response = api.put(url, prices, headers=api.admin)
    assert response.status_code == 422, response.text
    assert fields(response) == [field]


def test_only_an_insurer_has_agreed_prices(api) -> None:
    person = api.ok(api.post("/api/customers", {"kind": "person", "name": "Ana"}), 201)
    url = f"/api/customers/{person['id']}/prices"
    response = api.put(url, [{"serviceCode": "FIS", "price": "1"}], headers=api.admin)
    assert (response.status_code, fields(response)) == (422, ["customerId"])
    assert api.ok(api.get(url)) == []
    unknown = f"/api/customers/{uuid.uuid4()}/prices"
    assert api.get(unknown).status_code == 404
    assert api.put(unknown, [], headers=api.admin).status_code == 404


def test_practitioners_get_403_on_every_catalogue_route(api) -> None:
    headers = api.practitioner
    prices = f"/api/customers/{uuid.uuid4()}/prices"
    assert api.get("/api/catalogue", headers=headers).status_code == 403
    assert api.get("/api/catalogue/FIS", headers=headers).status_code == 403
    assert api.post("/api/catalogue", item(), headers=headers).status_code == 403
    assert api.put("/api/catalogue/FIS", editable(item()), headers=headers).status_code == 403
    assert api.get(prices, headers=headers).status_code == 403
    assert api.put(prices, [], headers=headers).status_code == 403
