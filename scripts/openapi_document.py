"""Print the gateway's merged OpenAPI document without starting any server.

The SPA's types (``frontend/src/api/schema.d.ts``, ``make api-types``) are generated from the
document the gateway serves at ``/api/openapi.json``. Fetching it would need the whole stack up, so
this builds each app in-process (creating an app connects to nothing: engines are lazy, the relay
and consumers start only in the lifespan), takes ``app.openapi()`` of each and merges them with the
gateway's own merge code. Databases and the dev keys go to a throw-away folder.

    uv run --frozen python scripts/openapi_document.py [-o merged.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from clinic_billing.config import BillingSettings
from clinic_billing.main import create_app as create_billing
from clinic_gateway.config import DEFAULT_ROUTES, GatewaySettings
from clinic_gateway.main import create_app as create_gateway
from clinic_gateway.openapi_merge import merge_routed_documents
from clinic_identity.config import IdentitySettings
from clinic_identity.main import create_app as create_identity
from clinic_patients.config import PatientsSettings
from clinic_patients.main import create_app as create_patients
from clinic_records.config import RecordsSettings
from clinic_records.main import create_app as create_records
from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.main import create_app as create_scheduling

Document = dict[str, Any]
# Only errors reach stderr (not the dev signing key identity makes in the temp folder).
QUIET: dict[str, Any] = {"app_env": "dev", "log_level": "ERROR", "log_json": False}


def _service_factories(work: Path) -> dict[str, Callable[[], FastAPI]]:
    def settings(name: str) -> dict[str, Any]:
        # Explicit values so that no IDENTITY_DATABASE_URL-style variable of the shell leaks in.
        return {
            **QUIET,
            "var_dir": work / name,
            "database_url": f"sqlite:///{work / f'{name}.sqlite'}",
            "redis_url": "redis://127.0.0.1:6379/0",
        }

    return {
        "identity": lambda: create_identity(IdentitySettings(**settings("identity"))),
        "patients": lambda: create_patients(PatientsSettings(**settings("patients"))),
        "scheduling": lambda: create_scheduling(SchedulingSettings(**settings("scheduling"))),
        "billing": lambda: create_billing(BillingSettings(**settings("billing"))),
        "records": lambda: create_records(RecordsSettings(**settings("records"))),
    }


def merged_document() -> Document:
    """What ``GET /api/openapi.json`` answers when every routed service is up."""
    # The shipped route table, whatever GATEWAY_ROUTES this shell may have.
    gateway_settings = GatewaySettings(**QUIET, routes=dict(DEFAULT_ROUTES), upstreams={})
    own = create_gateway(gateway_settings).openapi()
    with tempfile.TemporaryDirectory(prefix="clinic-openapi-") as folder:
        factories = _service_factories(Path(folder))
        missing = set(gateway_settings.routed_upstreams) - set(factories)
        if missing:
            # A new context's routes are in the gateway: its app must be built here too.
            raise SystemExit(f"no app factory for routed service(s): {', '.join(sorted(missing))}")
        documents = {
            name: factories[name]().openapi() for name in gateway_settings.routed_upstreams
        }
    return merge_routed_documents(gateway_settings, own, documents)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    # Keys keep the services' order (the generated types then read like the models).
    text = json.dumps(merged_document(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
