"""Settings validation and environment parsing; the SPA never serves files outside its build."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from clinic_gateway.config import CHECKOUT_TRANSLATIONS_DIR, GatewaySettings
from clinic_gateway.i18n import load_translations
from clinic_gateway.spa import Spa


def test_routes_and_upstreams_come_from_json_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_UPSTREAMS", '{"identity": "http://identity:8001/"}')
    monkeypatch.setenv("GATEWAY_ROUTES", '{"/api/me": "identity"}')
    monkeypatch.setenv("GATEWAY_DASHBOARD_TIMEOUT", "0.5")
    settings = GatewaySettings()
    assert settings.routes == {"/api/me": "identity"}
    assert settings.upstream_urls("identity") == ("http://identity:8001",)
    assert settings.dashboard_timeout == 0.5
    assert settings.routed_upstreams == ["identity"]


def test_an_upstream_lists_its_replicas_separated_by_commas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_UPSTREAMS", '{"identity": "http://id-1:8001/, http://id-2:8001,"}')
    monkeypatch.setenv("GATEWAY_ROUTES", '{"/api/me": "identity"}')
    settings = GatewaySettings()
    assert settings.upstream_urls("identity") == ("http://id-1:8001", "http://id-2:8001")
    assert settings.upstream_replica_urls == {"identity": ("http://id-1:8001", "http://id-2:8001")}


@pytest.mark.parametrize("listed", ["http://id-1:8001,id-2:8001", " , "])
def test_every_replica_of_an_upstream_needs_an_http_url(listed: str) -> None:
    with pytest.raises(ValidationError, match="upstream 'identity'"):
        GatewaySettings(upstreams={"identity": listed}, routes={"/api/me": "identity"})


def test_translations_default_to_the_checkout_folder_the_spa_reads_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GATEWAY_TRANSLATIONS_DIR", raising=False)
    repository = Path(__file__).resolve().parents[3]
    assert GatewaySettings().translations_dir == repository / "translations"
    assert (CHECKOUT_TRANSLATIONS_DIR / "es.json").is_file()
    monkeypatch.setenv("GATEWAY_TRANSLATIONS_DIR", str(tmp_path))
    assert GatewaySettings().translations_dir == tmp_path


def test_a_route_to_an_unknown_upstream_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown upstream 'nowhere'"):
        GatewaySettings(routes={"/api/x": "nowhere"})


def test_an_upstream_needs_an_http_url() -> None:
    with pytest.raises(ValidationError, match="http"):
        GatewaySettings(upstreams={"identity": "identity:8001"})


def test_production_does_not_ask_the_gateway_for_a_database() -> None:
    assert GatewaySettings(app_env="prod").app_env == "prod"


def test_spa_files_stay_inside_the_build(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "assets" / "app-1a2b.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("nope")
    spa = Spa(dist, load_translations(CHECKOUT_TRANSLATIONS_DIR))
    assert spa.file("assets/app-1a2b.js") == (dist / "assets" / "app-1a2b.js").resolve()
    assert spa.file("../secret.txt") is None
    assert spa.file("assets/../../secret.txt") is None
    assert spa.file(str(tmp_path / "secret.txt")) is None
    assert spa.file("assets") is None
    assert not spa.built


def test_default_upstreams_follow_the_base_port(monkeypatch: pytest.MonkeyPatch) -> None:
    assert GatewaySettings().upstreams["identity"] == "http://127.0.0.1:8001"
    monkeypatch.setenv("GATEWAY_UPSTREAM_BASE_PORT", "28000")
    settings = GatewaySettings()
    assert settings.upstreams == {
        "identity": "http://127.0.0.1:28001",
        "patients": "http://127.0.0.1:28002",
        "scheduling": "http://127.0.0.1:28003",
        "billing": "http://127.0.0.1:28004",
        "records": "http://127.0.0.1:28005",
    }
