"""Settings come from PATIENTS_* variables and refuse unsafe production setups."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clinic_patients.config import PatientsSettings


def test_defaults_and_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATIENTS_EVENTS_STREAM", "events.patients.staging")
    monkeypatch.setenv("IDENTITY_EVENTS_STREAM", "ignored")
    settings = PatientsSettings()
    assert settings.service_name == "patients"
    assert settings.events_stream == "events.patients.staging"
    assert settings.scheduling_stream == "events.scheduling"
    assert settings.database_url.endswith("patients.sqlite")


def test_production_refuses_the_embedded_database() -> None:
    with pytest.raises(ValidationError, match="embedded SQLite"):
        PatientsSettings(app_env="prod")
