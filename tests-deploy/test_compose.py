"""What compose.yaml promises beyond the Compose Specification (dclint checks that).

No container engine runs here, so the file is checked, not started: every service migrates
before it serves, connects as its own user with a password from a compose secret, runs hardened,
and the settings it is given load in production mode through the image's entrypoint.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from deploy_testing import APPS, DEPLOY, PORTS, ROOT, SERVICES, settings_for
from sqlalchemy import make_url

NGINX_CONF = (DEPLOY / "nginx" / "nginx.conf").read_text()
CLINIC_IMAGES = (*APPS, "tls-init", *(f"{s}-migrate" for s in SERVICES))


def test_mariadb_11_and_redis_7_keep_data_in_volumes_and_have_health_checks(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert re.fullmatch(r"mariadb:11(\.\d+)*", services["mariadb"]["image"])
    assert re.fullmatch(r"redis:7(\.\d+)*(-alpine)?", services["redis"]["image"])
    assert "mariadb-data:/var/lib/mysql" in services["mariadb"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert "--appendonly" in services["redis"]["command"]
    for name in ("mariadb", "redis"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
        assert "ports" not in services[name], f"{name} must not be published on the host"
    assert {"mariadb-data", "redis-data"} <= set(compose["volumes"])


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_waits_for_its_own_migration_job(
    compose: dict[str, Any], service: str
) -> None:
    services = compose["services"]
    job, app = services[f"{service}-migrate"], services[service]
    assert job["command"] == [f"clinic-{service}", "migrate"]
    assert job["restart"] == "no"
    assert job["depends_on"]["mariadb"]["condition"] == "service_healthy"
    assert app["depends_on"][f"{service}-migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert app["restart"] == "unless-stopped"
    assert job["image"] == app["image"]
    assert job["build"] == app["build"]
    assert job["environment"] == app["environment"]
    assert job["secrets"] == app["secrets"]
    assert app["build"]["dockerfile"] == "deploy/service.Dockerfile"
    assert app["build"]["args"] == {"SERVICE": service}


def test_the_gateway_waits_for_every_healthy_service_behind_nginx_with_tls(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    gateway, nginx = services["gateway"], services["nginx"]
    assert {name: dep["condition"] for name, dep in gateway["depends_on"].items()} == {
        s: "service_healthy" for s in SERVICES
    }
    assert gateway["build"]["args"] == {"SERVICE": "gateway"}
    assert "ports" not in gateway  # only nginx faces the network
    assert nginx["depends_on"]["tls-init"]["condition"] == "service_completed_successfully"
    assert nginx["depends_on"]["gateway"]["condition"] == "service_healthy"
    assert {p.rsplit(":", 1)[-1] for p in nginx["ports"]} == {"80", "443"}
    assert "tls:/etc/nginx/tls:ro" in nginx["volumes"]
    assert services["tls-init"]["volumes"] == ["tls:/tls"]
    assert services["tls-init"]["network_mode"] == "none"
    # The gateway believes forwarded headers from nginx only, identity from the gateway only.
    net = "default"
    nginx_ip = nginx["networks"][net]["ipv4_address"]
    gateway_ip = gateway["networks"][net]["ipv4_address"]
    assert gateway["environment"]["GATEWAY_TRUSTED_PROXIES"] == f'["{nginx_ip}"]'
    assert services["identity"]["environment"]["IDENTITY_TRUSTED_PROXIES"] == gateway_ip


def test_nginx_redirects_to_https_and_states_hsts() -> None:
    assert "return 301 https://$host$request_uri;" in NGINX_CONF
    assert "listen 443 ssl;" in NGINX_CONF
    assert re.search(
        r'add_header Strict-Transport-Security "max-age=\d{8,}; includeSubDomains" always;',
        NGINX_CONF,
    )
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX_CONF
    assert "proxy_add_x_forwarded_for" not in NGINX_CONF.replace("($proxy_add_x_forwarded_for", "")
    assert "ssl_certificate     /etc/nginx/tls/fullchain.pem;" in NGINX_CONF
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in NGINX_CONF


@pytest.mark.parametrize("name", CLINIC_IMAGES)
def test_the_clinic_containers_are_hardened(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    assert service["read_only"] is True
    assert any(t.startswith("/tmp:") for t in service["tmpfs"])
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]
    if name != "tls-init":  # the only one-shot that writes a root-owned volume; no network
        assert "user" not in service  # the image's non-root user


def test_no_secret_is_in_the_compose_file_or_plain_environment(compose: dict[str, Any]) -> None:
    declared = compose["secrets"]
    for name, secret in declared.items():
        assert secret["file"].startswith("./var/secrets/"), name  # git ignores var/
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            assert not re.search(r"PASSWORD$|KEYS$|TOKEN$|SECRET", key), (name, key)
            if key.endswith("DATABASE_URL"):
                assert make_url(value).password is None, (name, key)
            if key.endswith("_FILE") or "/run/secrets/" in str(value):
                mentioned = re.findall(r"/run/secrets/([\w.-]+)", str(value))
                assert set(mentioned) <= set(service.get("secrets", [])), (name, key)
        for secret in service.get("secrets", []):
            assert secret in declared, (name, secret)
    assert "var/" in (ROOT / ".gitignore").read_text().split()


def test_make_secrets_makes_every_declared_secret(compose: dict[str, Any]) -> None:
    script = (DEPLOY / "scripts" / "make-secrets.sh").read_text()
    for name, secret in compose["secrets"].items():
        file = Path(secret["file"]).name
        stem = file.removesuffix("_db_password")
        made = f"make {file} " in script or (
            file.endswith("_db_password") and re.search(rf"for service in [^;]*\b{stem}\b", script)
        )
        assert made, name


def test_the_mariadb_init_knows_every_services_user(compose: dict[str, Any]) -> None:
    init = (DEPLOY / "mariadb" / "init" / "10-databases.sh").read_text()
    assert "services=(identity patients scheduling billing records)" in init
    mounted = compose["services"]["mariadb"]["secrets"]
    assert {f"{s}_db_password" for s in SERVICES} | {"backup_db_password"} <= set(mounted)
    for service in SERVICES:
        url = make_url(
            compose["services"][service]["environment"][f"{service.upper()}_DATABASE_URL"]
        )
        assert (url.username, url.host, url.database) == (service, "mariadb", f"clinic_{service}")


@pytest.mark.parametrize("app", APPS)
def test_the_settings_compose_gives_each_app_load_in_production_mode(
    compose: dict[str, Any],
    app: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entrypoint: ModuleType,
) -> None:
    service = compose["services"][app]
    env = {k: str(v) for k, v in service["environment"].items()}
    files = {f"/run/secrets/{name}": name for name in service.get("secrets", [])}
    settings = settings_for(app, env, files, tmp_path, monkeypatch, entrypoint)
    assert settings.app_env == "prod"
    if app == "gateway":
        assert {n: u for n, u in settings.upstreams.items()} == {
            s: f"http://{s}:{PORTS[s]}" for s in SERVICES
        }
        assert settings.ops_token is not None
        return
    assert make_url(settings.database_url).password
    assert settings.redis_url == "redis://redis:6379/0"
