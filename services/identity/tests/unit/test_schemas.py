"""Input validation of request bodies: every bad field is named."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from clinic_identity.schemas import LoginRequest, UserCreate, UserUpdate

VALID: dict[str, Any] = {
    "email": "Laura.Martinez@Demo.Clinic",
    "fullName": "  Laura Martínez ",
    "roles": ["ROLE_PRACTITIONER", "ROLE_ADMIN", "ROLE_PRACTITIONER"],
    "color": "#2563eb",
    "locale": "es",
    "password": "s3cret-enough",
}


def _bad_fields(model: type[Any], **changes: Any) -> set[str]:
    body = {**VALID, **changes}
    with pytest.raises(ValidationError) as info:
        model.model_validate({k: v for k, v in body.items() if v is not ...})
    return {str(error["loc"][0]) for error in info.value.errors()}


def test_valid_user_is_normalised() -> None:
    user = UserCreate.model_validate(VALID)
    assert user.email == "laura.martinez@demo.clinic"
    assert user.full_name == "Laura Martínez"
    assert user.roles == ["ROLE_ADMIN", "ROLE_PRACTITIONER"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"fullName": ""}, "fullName"),
        ({"fullName": "x" * 101}, "fullName"),
        ({"roles": []}, "roles"),
        ({"roles": ["ROLE_USER"]}, "roles"),
        ({"roles": "ROLE_ADMIN"}, "roles"),
        ({"color": "blue"}, "color"),
        ({"color": "#12345"}, "color"),
        ({"locale": "fr"}, "locale"),
        ({"password": "short"}, "password"),
        ({"password": ...}, "password"),
        ({"isAdmin": True}, "isAdmin"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    assert field in _bad_fields(UserCreate, **changes)


def test_update_requires_active_and_allows_no_password() -> None:
    body = {k: v for k, v in VALID.items() if k != "password"}
    assert "active" in _bad_fields(UserUpdate, password=...)
    update = UserUpdate.model_validate({**body, "active": False})
    assert update.password is None
    assert update.active is False


def test_color_may_be_absent_for_staff_off_the_calendar() -> None:
    body = {k: v for k, v in VALID.items() if k != "color"}
    assert UserCreate.model_validate(body).color is None


def test_login_keeps_password_whitespace() -> None:
    body = LoginRequest.model_validate({"email": "a@b.c", "password": "  pass word  "})
    assert body.password == "  pass word  "
