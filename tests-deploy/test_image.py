"""The image recipe (deploy/service.Dockerfile), its entrypoint and the certificate tool.

hadolint lints the Dockerfile in make test-deploy; no image can be built here, so these check the
recipe's promises in its text and run the two scripts it installs.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from deploy_testing import APPS, DEPLOY, PORTS, ROOT, load_module

DOCKERFILE = (DEPLOY / "service.Dockerfile").read_text()
DOCKERIGNORE = (DEPLOY / "service.Dockerfile.dockerignore").read_text()


def test_one_recipe_replaces_the_per_service_dockerfiles() -> None:
    assert not list(ROOT.glob("services/*/Dockerfile"))
    assert not (ROOT / "gateway" / "Dockerfile").exists()
    assert re.search(r"^ARG SERVICE", DOCKERFILE, re.M)
    for app in APPS:
        assert (ROOT / ("gateway" if app == "gateway" else f"services/{app}")).is_dir()
    # The SPA stage is reachable from the gateway only; every other app gets the empty stage.
    assert "FROM scratch AS spa-gateway" in DOCKERFILE
    for app in APPS[1:]:
        assert f"FROM spa-none AS spa-{app}" in DOCKERFILE
    assert "FROM spa-${SERVICE} AS spa" in DOCKERFILE


def test_the_runtime_is_non_root_with_a_healthcheck_on_healthz() -> None:
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    assert re.search(r"^USER 10001:10001$", runtime, re.M)
    assert "HEALTHCHECK" in runtime
    assert '"healthcheck"]' in runtime
    assert re.search(r'ENTRYPOINT \["python", "/app/tools/entrypoint.py"\]', runtime)
    # Everything a running container writes goes to /tmp (a tmpfs or emptyDir).
    for line in ("HOME=/tmp", "TMPDIR=/tmp", "XDG_CACHE_HOME=/tmp/.cache"):
        assert line in runtime


def test_weasyprint_libraries_only_for_the_pdf_services() -> None:
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    assert '"$SERVICE" = billing ] || [ "$SERVICE" = records ]' in runtime
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
    ):
        assert package in runtime


def test_the_build_context_leaves_out_secrets_state_and_dependencies() -> None:
    lines = [
        line.strip() for line in DOCKERIGNORE.splitlines() if line and not line.startswith("#")
    ]
    assert lines[0] == "*"  # everything is out unless listed
    allowed = {line[1:] for line in lines if line.startswith("!")}
    assert not any(a.startswith(("var", ".env", ".venv")) for a in allowed)
    assert {"frontend/node_modules", "frontend/dist", "**/tests"} <= set(lines)
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.M):
        for path in source.split():
            assert any(path.rstrip("/") == a or path.startswith(a + "/") for a in allowed), path


# --- the entrypoint ----------------------------------------------------------------------------


def test_file_variables_are_left_for_the_service_to_read(
    entrypoint: ModuleType, tmp_path: Path
) -> None:
    """The secret's value never enters the environment: the settings read the file."""
    env = {
        "RECORDS_DATABASE_URL": "mysql+pymysql://records@mariadb:3306/clinic_records",
        "RECORDS_DATABASE_PASSWORD_FILE": str(tmp_path / "pw"),
        "RECORDS_ENCRYPTION_KEYS_FILE": str(tmp_path / "keys"),
    }
    resolved = entrypoint.resolve_environment(env, "records")
    assert resolved == {**env, "RECORDS_VAR_DIR": "/tmp/clinic"}
    assert (
        entrypoint.resolve_environment({**env, "RECORDS_VAR_DIR": "/x"}, "records")[
            "RECORDS_VAR_DIR"
        ]
        == "/x"
    )


def test_the_entrypoint_refuses_an_unknown_service(entrypoint: ModuleType) -> None:
    with pytest.raises(entrypoint.EntrypointError, match="billingx"):
        entrypoint.resolve_environment({}, "billingx")


@pytest.mark.parametrize("app", APPS)
def test_the_default_command_serves_the_app_on_its_port(entrypoint: ModuleType, app: str) -> None:
    command = entrypoint.server_command(app)
    assert command[:3] == ["uvicorn", f"clinic_{app}.main:create_app", "--factory"]
    assert command[command.index("--port") + 1] == str(PORTS[app])
    assert "--no-proxy-headers" in command
    assert importlib.util.find_spec(f"clinic_{app}.main")  # the module the image serves


def test_the_entrypoint_execs_the_command_whose_settings_read_the_secret_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "token").write_text("s3cret-token-0123456789\n")
    env = {
        "PATH": os.environ["PATH"],
        "CLINIC_SERVICE": "gateway",
        "GATEWAY_OPS_TOKEN_FILE": str(tmp_path / "token"),
        "GATEWAY_VAR_DIR": str(tmp_path / "var"),
    }
    probe = (
        "import os; from clinic_gateway.config import GatewaySettings; "
        "print(GatewaySettings().ops_token.get_secret_value(), 'GATEWAY_OPS_TOKEN' in os.environ)"
    )
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "image" / "entrypoint.py"), sys.executable, "-c", probe],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["s3cret-token-0123456789", "False"]
    assert (tmp_path / "var").is_dir()
    bad = subprocess.run(
        [sys.executable, str(DEPLOY / "image" / "entrypoint.py")],
        env={**env, "CLINIC_SERVICE": "billingx"}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "billingx" in bad.stderr


def test_the_healthcheck_is_0_only_while_healthz_answers_200(
    entrypoint: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setitem(entrypoint.PORTS, "records", server.server_address[1])
        assert entrypoint.healthcheck("records") == 0
    finally:
        server.shutdown()
        server.server_close()
    assert entrypoint.healthcheck("records") == 1  # nothing listens any more


# --- the self-signed certificate ---------------------------------------------------------------


def test_the_self_signed_certificate_is_made_once_and_never_replaced(tmp_path: Path) -> None:
    from cryptography import x509

    tool = load_module(DEPLOY / "image" / "selfsigned_cert.py", "clinic_selfsigned_cert")
    assert tool.ensure_certificate(tmp_path, ["clinic.local"]) is True
    key = tmp_path / "privkey.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    certificate = x509.load_pem_x509_certificate((tmp_path / "fullchain.pem").read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"clinic.local", "localhost"} <= set(names.get_values_for_type(x509.DNSName))
    lifetime = certificate.not_valid_after_utc - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=390) < lifetime < dt.timedelta(days=398)
    before = (tmp_path / "fullchain.pem").read_bytes()
    assert tool.ensure_certificate(tmp_path, ["other"]) is False
    assert (tmp_path / "fullchain.pem").read_bytes() == before
