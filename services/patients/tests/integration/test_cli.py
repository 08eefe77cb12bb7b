"""The clinic-patients command: migrate, seed the demo (idempotent), rebuild the index."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from clinic_patients import cli
from clinic_patients.models import name_trigrams, search_terms

pytestmark = pytest.mark.integration


def test_seed_demo_is_idempotent(client, settings) -> None:
    assert "none (already there)" in cli.run(["seed-demo"], settings)


def test_seed_demo_refuses_production(settings_factory, monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "PatientsSettings", lambda: settings_factory(app_env="prod"))
    monkeypatch.setattr(cli.PatientsSettings, "unsafe_for_production", lambda _s: [], raising=False)
    assert cli.main(["seed-demo"]) == 1
    assert "never created in production" in capsys.readouterr().err


def test_rebuild_search_index_restores_a_lost_index(client, api, settings) -> None:
    created = api.created()
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        db.execute(delete(search_terms))
        db.execute(delete(name_trigrams))
    assert api.names("serrano") == []

    output = cli.run(["rebuild-search-index"], settings)

    assert "16 patients" in output
    assert api.names("serrano") == [created["fullName"]]
    assert api.names("serano", fuzzy="true") == [created["fullName"]]
    assert api.names("nunez jose") == ["José García Núñez"]


def test_migrate_reports_success(settings) -> None:
    assert cli.run(["migrate"], settings) == "patients database is up to date"
