"""Paths, fixtures and helpers of the deployment tests (``make test-deploy``).

conftest.py puts this folder on sys.path and re-exports the fixtures.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
SERVICES = ("identity", "patients", "scheduling", "billing", "records")
APPS = ("gateway", *SERVICES)
PORTS = {"gateway": 8000, "identity": 8001, "patients": 8002, "scheduling": 8003,
         "billing": 8004, "records": 8005}  # fmt: skip


def load_module(path: Path, name: str) -> ModuleType:
    """Import a script of deploy/ (not a package) by its path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first, as an import would: dataclasses look their module up in sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def entrypoint() -> ModuleType:
    """deploy/image/entrypoint.py, the images' entrypoint."""
    return load_module(DEPLOY / "image" / "entrypoint.py", "clinic_image_entrypoint")


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    """compose.yaml, parsed (anchors resolved)."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@cache
def rendered(overlay: str) -> list[dict[str, Any]]:
    """`kubectl kustomize deploy/k8s/overlays/<overlay>`, parsed."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is needed to render the overlays (Debian: apt-get install kubectl)")
    output = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [doc for doc in yaml.safe_load_all(output) if doc]


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """The objects of one kind by name."""
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


SETTINGS_CLASSES = {
    "gateway": "clinic_gateway.config:GatewaySettings",
    "identity": "clinic_identity.config:IdentitySettings",
    "patients": "clinic_patients.config:PatientsSettings",
    "scheduling": "clinic_scheduling.config:SchedulingSettings",
    "billing": "clinic_billing.config:BillingSettings",
    "records": "clinic_records.config:RecordsSettings",
}


def fake_secret(name: str) -> str:
    """A value of the right shape for a secret file (never a real one)."""
    import base64
    import secrets

    if name.endswith(".pem") or "signing" in name:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    if "encryption" in name:
        return "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(24) + "@:/%"  # a password or token with URL-hostile characters


def settings_for(
    app: str,
    env: dict[str, str],
    secret_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entrypoint: ModuleType,
) -> Any:
    """The app's real settings object, built from ``env`` as its container would build it.

    ``secret_files`` maps each path the configuration names (``/run/secrets/...``) to a secret
    name; a fake secret of the right shape is written in its place, the entrypoint prepares
    the environment, and the settings class (APP_ENV=prod checks included) loads it, reading
    the ``*_FILE`` variables' files itself.
    """
    import importlib

    resolved_env = {}
    for key, value in env.items():
        for path, name in secret_files.items():
            if path in value:
                local = tmp_path / name.replace("/", "_")
                if not local.exists():
                    local.write_text(fake_secret(name) + "\n")
                value = value.replace(path, str(local))
        resolved_env[key] = value
    prefix = f"{app.upper()}_"
    for key in [k for k in __import__("os").environ if k.startswith(prefix)]:
        monkeypatch.delenv(key)
    final = entrypoint.resolve_environment({"CLINIC_SERVICE": app, **resolved_env}, app)
    for key, value in final.items():
        if key.startswith(prefix):
            monkeypatch.setenv(key, value)
    module, _, cls = SETTINGS_CLASSES[app].partition(":")
    return getattr(importlib.import_module(module), cls)()
