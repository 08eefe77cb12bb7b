"""Merging the services' OpenAPI documents."""

from __future__ import annotations

from typing import Any

from clinic_gateway.config import GatewaySettings
from clinic_gateway.openapi_merge import merge_openapi, merge_routed_documents, rename_refs
from clinic_gateway.routing import RouteTable


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _get(schema: str) -> dict[str, Any]:
    return {
        "get": {"responses": {"200": {"content": {"application/json": {"schema": _ref(schema)}}}}}
    }


GATEWAY = {
    "openapi": "3.1.0",
    "info": {"title": "Clinic gateway", "version": "0.1.0"},
    "paths": {"/api/dashboard/stats": _get("DashboardStats")},
    "components": {"schemas": {"DashboardStats": {"type": "object"}}},
}
IDENTITY = {
    "paths": {
        "/api/users": _get("Page"),
        "/healthz": _get("Health"),
        "/api/me": _get("UserPublic"),
    },
    "components": {
        "schemas": {
            "Page": {"type": "object", "properties": {"member": {"items": _ref("UserPublic")}}},
            "UserPublic": {"type": "object", "properties": {"email": {"type": "string"}}},
            "Problem": {"type": "object"},
        },
        "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
    },
    "tags": [{"name": "users"}],
}
PATIENTS = {
    "paths": {"/api/patients": _get("Page"), "/api/users": _get("Problem")},
    "components": {
        "schemas": {
            "Page": {"type": "object", "properties": {"member": {"items": _ref("PatientPublic")}}},
            "PatientPublic": {"type": "object"},
            "Problem": {"type": "object"},
        }
    },
    "tags": [{"name": "users"}, {"name": "patients"}],
}
TABLE = RouteTable({"/api/users": "identity", "/api/me": "identity", "/api/patients": "patients"})


def test_paths_come_from_the_upstream_the_route_table_names() -> None:
    merged = merge_openapi(
        GATEWAY, {"identity": IDENTITY, "patients": PATIENTS}, TABLE.owns, unavailable=[]
    )
    assert set(merged["paths"]) == {
        "/api/dashboard/stats",
        "/api/users",
        "/api/me",
        "/api/patients",
    }
    users = merged["paths"]["/api/users"]["get"]["responses"]["200"]
    assert users["content"]["application/json"]["schema"] == _ref("Page")
    assert merged["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert [t["name"] for t in merged["tags"]] == ["users", "patients"]
    assert "x-unavailable-services" not in merged["info"]


def test_clashing_schemas_are_renamed_and_their_refs_follow() -> None:
    merged = merge_openapi(
        GATEWAY, {"identity": IDENTITY, "patients": PATIENTS}, TABLE.owns, unavailable=[]
    )
    schemas = merged["components"]["schemas"]
    assert schemas["Page"]["properties"]["member"]["items"] == _ref("UserPublic")
    assert schemas["patients.Page"]["properties"]["member"]["items"] == _ref("PatientPublic")
    patients = merged["paths"]["/api/patients"]["get"]["responses"]["200"]
    assert patients["content"]["application/json"]["schema"] == _ref("patients.Page")
    # Identical definitions are shared, not duplicated.
    assert "patients.Problem" not in schemas
    assert "Problem" in schemas


def test_renaming_cascades_to_schemas_referring_to_a_renamed_one() -> None:
    first = {"components": {"schemas": {"A": {"items": _ref("B")}, "B": {"type": "string"}}}}
    second = {"components": {"schemas": {"A": {"items": _ref("B")}, "B": {"type": "integer"}}}}
    merged = merge_openapi(
        {"paths": {}}, {"one": first, "two": second}, lambda _u, _p: True, unavailable=[]
    )
    schemas = merged["components"]["schemas"]
    assert schemas["two.B"] == {"type": "integer"}
    assert schemas["two.A"] == {"items": _ref("two.B")}
    assert schemas["A"] == {"items": _ref("B")}


def test_unavailable_services_are_named() -> None:
    merged = merge_openapi(GATEWAY, {}, TABLE.owns, unavailable=["patients", "billing"])
    assert merged["info"]["x-unavailable-services"] == ["billing", "patients"]


def test_rename_refs_leaves_other_refs_alone() -> None:
    node = {"a": [_ref("X"), {"$ref": "#/components/responses/X"}], "b": _ref("Y")}
    assert rename_refs(node, {"X": "s.X"}) == {
        "a": [_ref("s.X"), {"$ref": "#/components/responses/X"}],
        "b": _ref("Y"),
    }


def test_the_served_merge_takes_services_in_route_table_order() -> None:
    # Patients' Page clashes with identity's whichever way round the documents arrive: the route
    # table (identity first) decides who keeps the plain name, so the offline document used for
    # the SPA's types is the one the gateway serves.
    settings = GatewaySettings(
        routes={"/api/users": "identity", "/api/me": "identity", "/api/patients": "patients"}
    )
    merged = merge_routed_documents(settings, GATEWAY, {"patients": PATIENTS, "identity": IDENTITY})
    assert merged == merge_openapi(
        GATEWAY, {"identity": IDENTITY, "patients": PATIENTS}, TABLE.owns, unavailable=[]
    )
    assert "patients.Page" in merged["components"]["schemas"]
