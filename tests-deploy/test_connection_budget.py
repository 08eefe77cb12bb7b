"""MariaDB's max_connections covers every replica's pool (docs/deploy.md, "Connection pools").

connections = Σ over services of replicas × (db_pool_size + db_max_overflow + extra)
              + one per migration job + one for the backup,

where ``extra`` is records' read-audit pool. Compose runs one replica each against
``deploy/mariadb/conf.d/clinic.cnf``; prod counts the autoscaler's maximum against the
``max_connections`` docs/deploy.md gives the MariaDB operator.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import pytest
from deploy_testing import DEPLOY, ROOT, SERVICES, of_kind, rendered, settings_for

from clinic_records.bootstrap import AUDIT_WRITERS

EXTRA = {"records": AUDIT_WRITERS}
JOBS = len(SERVICES) + 1  # a migration per service and the backup may run during a rollout


def _budget(pools: dict[str, int], replicas: dict[str, int]) -> int:
    per_service = (replicas[s] * (pools[s] + EXTRA.get(s, 0)) for s in SERVICES)
    return sum(per_service) + JOBS


def _pool(settings: Any) -> int:
    return int(settings.db_pool_size + settings.db_max_overflow)


def test_compose_s_mariadb_admits_every_service_s_pool(
    compose: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entrypoint: Any
) -> None:
    cnf = configparser.ConfigParser()
    cnf.read(DEPLOY / "mariadb" / "conf.d" / "clinic.cnf")
    max_connections = int(cnf["mysqld"]["max_connections"])
    services = compose["services"]
    pools = {}
    for app in SERVICES:
        env = {k: str(v) for k, v in services[app]["environment"].items()}
        files = {f"/run/secrets/{name}": name for name in services[app].get("secrets", [])}
        pools[app] = _pool(settings_for(app, env, files, tmp_path, monkeypatch, entrypoint))
        assert services[app].get("deploy", {}).get("replicas", 1) == 1
    assert _budget(pools, dict.fromkeys(SERVICES, 1)) <= max_connections


def test_prod_s_mariadb_admits_every_pod_s_pool_at_the_autoscaler_s_maximum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entrypoint: Any
) -> None:
    documented = re.search(r"max_connections=(\d+)", (ROOT / "docs" / "deploy.md").read_text())
    assert documented, "docs/deploy.md gives the operator's max_connections"
    docs = rendered("prod")
    autoscalers = of_kind(docs, "HorizontalPodAutoscaler")
    configs = of_kind(docs, "ConfigMap")
    pools = {}
    for app in SERVICES:
        deployment = of_kind(docs, "Deployment")[app]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        env = configs[container["envFrom"][0]["configMapRef"]["name"]]["data"]
        files = {v: Path(v).name for v in env.values() if v.startswith("/run/secrets/")}
        pools[app] = _pool(settings_for(app, env, files, tmp_path, monkeypatch, entrypoint))
    replicas = {app: autoscalers[app]["spec"]["maxReplicas"] for app in SERVICES}
    assert _budget(pools, replicas) <= int(documented.group(1))
