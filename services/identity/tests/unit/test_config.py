"""Settings: env parsing, policy floors and limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from clinic_identity.config import IdentitySettings


def test_env_prefix_and_comma_separated_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILES", "/keys/new.pem, /keys/old.pem")
    monkeypatch.setenv("IDENTITY_TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8")
    monkeypatch.setenv("IDENTITY_REFRESH_TOKEN_SECONDS", "3600")
    settings = IdentitySettings()
    assert settings.signing_key_files == [Path("/keys/new.pem"), Path("/keys/old.pem")]
    assert settings.trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]
    assert settings.refresh_token_seconds == 3600
    assert settings.service_name == "identity"


def test_json_lists_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILES", '["/a.pem", "/b.pem"]')
    assert IdentitySettings().signing_key_files == [Path("/a.pem"), Path("/b.pem")]


def test_defaults() -> None:
    settings = IdentitySettings()
    assert settings.access_token_seconds == 900
    assert settings.refresh_token_seconds == 2 * 3600  # idle; the admin sets the maximum
    assert settings.trusted_proxies == ["127.0.0.1"]
    assert settings.login_free_failures == 5


@pytest.mark.parametrize(
    "overrides",
    [
        {"refresh_token_seconds": 28 * 24 * 3600 + 1},
        {"trusted_proxies": ["not-an-address"]},
        {"access_token_seconds": 0},
        {"refresh_cookie_name": "bad name;"},
    ],
)
def test_invalid_settings_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        IdentitySettings(**overrides)  # type: ignore[arg-type]


def test_refresh_life_may_reach_the_hard_maximum() -> None:
    assert IdentitySettings(refresh_token_seconds=28 * 24 * 3600).refresh_token_seconds > 0
