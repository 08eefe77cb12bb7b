"""The image's entrypoint: prepare the writable folder, then the service (or a command).

Every image built from ``deploy/service.Dockerfile`` runs this first (``CLINIC_SERVICE`` names
the service). It only prepares the environment, then replaces itself with the real process
(``exec``), so the service is PID 1 and gets SIGTERM directly.

- Secrets stay files: ``<NAME>_FILE=/run/secrets/x`` (``RECORDS_ENCRYPTION_KEYS_FILE``,
  ``<PREFIX>DATABASE_PASSWORD_FILE``…) is passed on as it is and the service's settings read
  the file themselves (``clinic_shared.secret_files``), refusing ambiguous combinations; the
  secret's value never enters the process environment.
- ``<PREFIX>VAR_DIR`` defaults to ``/tmp/clinic``: the root file system is read-only.
- No arguments: serve the API with uvicorn on the service's port. Arguments: run them instead
  (``clinic-records migrate``). ``healthcheck``: GET ``/healthz`` on the local port (the image's
  HEALTHCHECK), exit 0 when it answers 200.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path

PORTS = {
    "gateway": 8000,
    "identity": 8001,
    "patients": 8002,
    "scheduling": 8003,
    "billing": 8004,
    "records": 8005,
}
DEFAULT_VAR_DIR = "/tmp/clinic"  # noqa: S108 - the writable tmpfs of a read-only container


class EntrypointError(Exception):
    """A configuration the container must not start with (printed, exit status 2)."""


def prefix_of(service: str) -> str:
    """``records`` -> ``RECORDS_`` (the settings' env_prefix)."""
    if service not in PORTS:
        raise EntrypointError(f"CLINIC_SERVICE={service!r} is not one of {', '.join(PORTS)}")
    return f"{service.upper()}_"


def resolve_environment(env: Mapping[str, str], service: str) -> dict[str, str]:
    """The environment the service runs with (``env`` untouched): ``env`` plus the VAR_DIR."""
    resolved = dict(env)
    resolved.setdefault(f"{prefix_of(service)}VAR_DIR", DEFAULT_VAR_DIR)
    return resolved


def server_command(service: str) -> list[str]:
    """uvicorn on the service's port, on every interface of the container.

    ``--no-proxy-headers``: the gateway and identity decide themselves whose X-Forwarded-For to
    believe (their TRUSTED_PROXIES); uvicorn must not replace the peer address first.
    """
    package = f"clinic_{service}"
    return [
        "uvicorn", f"{package}.main:create_app", "--factory",
        "--host", "0.0.0.0", "--port", str(PORTS[service]),  # noqa: S104 - in a container
        "--no-access-log", "--no-proxy-headers",
    ]  # fmt: skip


def healthcheck(service: str) -> int:
    """0 when the local ``/healthz`` answers 200 within 2 s, else 1."""
    url = f"http://127.0.0.1:{PORTS[service]}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def main(argv: Sequence[str], env: MutableMapping[str, str]) -> int:
    """Prepare and exec (returns only for ``healthcheck`` or an error)."""
    service = env.get("CLINIC_SERVICE", "")
    try:
        prefix_of(service)
        if list(argv) == ["healthcheck"]:
            return healthcheck(service)
        resolved = resolve_environment(env, service)
    except EntrypointError as exc:
        print(f"entrypoint: {exc}", file=sys.stderr)
        return 2
    command = list(argv) or server_command(service)
    Path(resolved[f"{prefix_of(service)}VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.execvpe(command[0], command, resolved)  # noqa: S606 - the container's own command
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
