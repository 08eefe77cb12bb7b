"""Settings read from files (``<PREFIX><NAME>_FILE``), the database password put into its URL,
and the combinations that must stop a service from starting."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from clinic_shared.settings import ServiceSettings

URL_WITHOUT_PASSWORD = "mysql+pymysql://widgets@db.internal:3306/clinic_widgets"


class WidgetsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WIDGETS_", extra="ignore", frozen=True)

    service_name: str = "widgets"
    encryption_keys: SecretStr = SecretStr("")
    allowed_hosts: list[str] = []


def secret(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content)
    return str(path)


def test_a_setting_is_read_from_its_file_without_the_trailing_newline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WIDGETS_ENCRYPTION_KEYS_FILE", secret(tmp_path, "keys", "k1:abc=\n"))
    monkeypatch.setenv("WIDGETS_ALLOWED_HOSTS_FILE", secret(tmp_path, "hosts", '["a", "b"]\n'))

    settings = WidgetsSettings(var_dir=tmp_path)

    assert settings.encryption_keys.get_secret_value() == "k1:abc="
    assert settings.allowed_hosts == ["a", "b"]  # decoded as the environment's value would be


def test_the_database_password_file_goes_into_the_url_quoted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WIDGETS_DATABASE_URL", URL_WITHOUT_PASSWORD)
    monkeypatch.setenv("WIDGETS_DATABASE_PASSWORD_FILE", secret(tmp_path, "pw", "p@ss/w:rd\n"))

    settings = WidgetsSettings()

    assert settings.database_url == (
        "mysql+pymysql://widgets:p%40ss%2Fw%3Ard@db.internal:3306/clinic_widgets"
    )
    assert settings.database_password is None  # only in the URL, once
    assert "p@ss" not in repr(settings)


def test_other_prefixes_and_unknown_names_are_left_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GADGETS_ENCRYPTION_KEYS_FILE", "/not/ours")
    monkeypatch.setenv("WIDGETS_SOMETHING_ELSE_FILE", "/not/a/setting")
    monkeypatch.setenv("MARIADB_ROOT_PASSWORD_FILE", "/run/secrets/root")

    assert WidgetsSettings(var_dir=tmp_path).encryption_keys.get_secret_value() == ""


def test_both_the_value_and_its_file_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WIDGETS_ENCRYPTION_KEYS", "k1:plain=")
    monkeypatch.setenv("WIDGETS_ENCRYPTION_KEYS_FILE", secret(tmp_path, "keys", "k1:file="))

    with pytest.raises(SettingsError, match="both WIDGETS_ENCRYPTION_KEYS and WIDGETS_ENC"):
        WidgetsSettings(var_dir=tmp_path)


def test_a_file_that_cannot_be_read_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIDGETS_ENCRYPTION_KEYS_FILE", "/nonexistent/secret")

    with pytest.raises(SettingsError, match="WIDGETS_ENCRYPTION_KEYS_FILE: cannot read"):
        WidgetsSettings()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "database_password is set but database_url is not"),
        ("mysql+pymysql://db.internal/clinic_widgets", "naming its user"),
        ("mysql+pymysql://widgets:old@db.internal/clinic_widgets", "already holds a password"),
    ],
)
def test_a_password_file_needs_a_url_with_a_user_and_no_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, message: str
) -> None:
    monkeypatch.setenv("WIDGETS_DATABASE_URL", url)
    monkeypatch.setenv("WIDGETS_DATABASE_PASSWORD_FILE", secret(tmp_path, "pw", "s3cret"))

    with pytest.raises(ValidationError, match=message):
        WidgetsSettings(var_dir=tmp_path)
