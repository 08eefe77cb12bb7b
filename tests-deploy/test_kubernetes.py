"""Properties of the rendered overlays (`kubectl kustomize deploy/k8s/overlays/<dev|prod>`).

The schemas are checked by kubernetes-validate in `make test-deploy`; these check what the
schemas cannot: probes, non-root, rollouts without unavailability, one policy per app, the
replicas of prod, and that the settings each service is given are ones its code accepts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from deploy_testing import (
    APPS,
    K8S,
    OVERLAYS,
    PORTS,
    ROOT,
    SERVICES,
    of_kind,
    rendered,
    settings_for,
)

# The services whose lists read a MariaDB replica in prod (docs/deploy.md, "A read replica").
READ_REPLICA_APPS = {"patients", "scheduling", "billing"}


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def _workloads(overlay: str) -> list[dict[str, Any]]:
    return [d for d in rendered(overlay) if d["kind"] in {"Deployment", "Job", "CronJob"}]


def _labels(obj: dict[str, Any]) -> dict[str, str]:
    return obj["metadata"].get("labels", {})


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels / matchExpressions In, NotIn, Exists) applied to labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
    return True


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_app_has_its_objects(overlay: str) -> None:
    docs = rendered(overlay)
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                 "NetworkPolicy"):  # fmt: skip
        assert set(APPS) <= set(of_kind(docs, kind)), kind
    assert set(of_kind(docs, "Job")) == {f"{s}-migrate" for s in SERVICES}
    assert set(of_kind(docs, "CronJob")) == {"backup"}
    ingress = of_kind(docs, "Ingress")["gateway"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_deployments_probe_roll_without_unavailability_and_bound_their_resources(
    overlay: str,
) -> None:
    for name, deployment in of_kind(rendered(overlay), "Deployment").items():
        strategy = deployment["spec"]["strategy"]
        assert strategy["type"] == "RollingUpdate"
        assert strategy["rollingUpdate"]["maxUnavailable"] == 0, name
        (container,) = _pod_spec(deployment)["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        # The gateway's /readyz answers only the scraper's token (404 without): /healthz there.
        readiness = "/healthz" if name == "gateway" else "/readyz"
        assert container["readinessProbe"]["httpGet"]["path"] == readiness, name
        assert container["ports"][0]["containerPort"] == PORTS[name]
        resources = container["resources"]
        assert resources["requests"]["cpu"], name
        assert resources["requests"]["memory"], name
        assert resources["limits"]["memory"], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_as_non_root_on_a_read_only_root_with_a_writable_tmp(overlay: str) -> None:
    for workload in _workloads(overlay):
        pod = _pod_spec(workload)
        name = workload["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] != 0, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_namespace_enforces_the_restricted_pod_security_profile(overlay: str) -> None:
    (namespace,) = of_kind(rendered(overlay), "Namespace").values()
    assert _labels(namespace)["pod-security.kubernetes.io/enforce"] == "restricted"
    assert all(d["metadata"].get("namespace") == namespace["metadata"]["name"]
               for d in rendered(overlay) if d["kind"] != "Namespace")  # fmt: skip


def test_prod_runs_two_replicas_of_everything_and_keeps_one_through_disruptions() -> None:
    docs = rendered("prod")
    for name, deployment in of_kind(docs, "Deployment").items():
        assert deployment["spec"]["replicas"] == 2, name
        hpa = of_kind(docs, "HorizontalPodAutoscaler")[name]
        assert hpa["spec"]["minReplicas"] == 2, name
        assert hpa["spec"]["maxReplicas"] > 2, name
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1", "kind": "Deployment", "name": name}  # fmt: skip
        budget = of_kind(docs, "PodDisruptionBudget")[name]["spec"]
        assert budget.get("maxUnavailable") == 1 or budget.get("minAvailable") == 1, name
        assert _selects(budget["selector"], deployment["spec"]["template"]["metadata"]["labels"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_selectors_match_their_pods(overlay: str) -> None:
    docs = rendered(overlay)
    for name, deployment in of_kind(docs, "Deployment").items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert _selects(deployment["spec"]["selector"], pod_labels), name
        service = of_kind(docs, "Service")[name]
        assert _selects({"matchLabels": service["spec"]["selector"]}, pod_labels), name
        assert service["spec"]["ports"][0]["port"] == PORTS[name]


# Prometheus in the namespace `monitoring` scrapes /metrics (deploy/observability/).
PROMETHEUS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
}


def _allowed_ingress_peers(docs: list[dict[str, Any]], pod_labels: dict[str, str]) -> list[Any]:
    peers = []
    for policy in of_kind(docs, "NetworkPolicy").values():
        if _selects(policy["spec"]["podSelector"], pod_labels):
            for rule in policy["spec"].get("ingress", []):
                peers.extend(rule.get("from", [{"anything": True}]))
    return [peer for peer in peers if peer != PROMETHEUS_PEER]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_prometheus_may_scrape_every_app_on_its_port_only(overlay: str) -> None:
    docs = rendered(overlay)
    policy = of_kind(docs, "NetworkPolicy")["allow-prometheus-scrape"]["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    (rule,) = policy["ingress"]
    assert rule["from"] == [PROMETHEUS_PEER]
    (ports,) = rule["ports"]
    assert (ports["port"], ports["endPort"]) == (min(PORTS.values()), max(PORTS.values()))
    deployments = of_kind(docs, "Deployment")
    selected = {
        name
        for name, d in deployments.items()
        if _selects(policy["podSelector"], d["spec"]["template"]["metadata"]["labels"])
    }
    assert selected == set(APPS)
    # Nothing else: not the migration Jobs, not the backup.
    for workload in _workloads(overlay):
        if workload["kind"] != "Deployment":
            assert not _selects(policy["podSelector"], _pod_spec_labels(workload))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_let_only_the_gateway_reach_the_services(overlay: str) -> None:
    docs = rendered(overlay)
    policies = of_kind(docs, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    deployments = of_kind(docs, "Deployment")
    gateway_labels = deployments["gateway"]["spec"]["template"]["metadata"]["labels"]
    for name in APPS:
        # Each app has its own policy, selecting its pods.
        own = policies[name]["spec"]["podSelector"]
        pod_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert _selects(own, pod_labels), name
        for peer in _allowed_ingress_peers(docs, pod_labels):
            assert "ipBlock" not in peer, name
            assert "anything" not in peer, name
            if name == "gateway":  # from the ingress controller's namespace only
                assert set(peer) == {"namespaceSelector"}
                continue
            assert "namespaceSelector" not in peer, name
            peer_labels = peer["podSelector"]
            allowed_from = [
                a
                for a, d in deployments.items()
                if _selects(peer_labels, d["spec"]["template"]["metadata"]["labels"])
            ]
            # Only the gateway; identity also answers the services' JWKS requests.
            expected = {"gateway"} | (set(SERVICES) if name == "identity" else set())
            assert set(allowed_from) <= expected, (name, allowed_from)
            assert _selects(peer_labels, gateway_labels) or name == "identity"


def _egress_ports(docs: list[dict[str, Any]], pod_labels: dict[str, str]) -> set[int]:
    ports = set()
    for policy in of_kind(docs, "NetworkPolicy").values():
        if _selects(policy["spec"]["podSelector"], pod_labels):
            for rule in policy["spec"].get("egress", []):
                ports |= {p["port"] for p in rule.get("ports", [])}
    return ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_reach_only_dns_mariadb_redis_and_identitys_keys(overlay: str) -> None:
    docs = rendered(overlay)
    for workload in _workloads(overlay):
        labels = _pod_spec_labels(workload)
        name = labels["app.kubernetes.io/name"]
        allowed = {53, 3306, 6379}
        if labels["app.kubernetes.io/component"] == "api" and name != "identity":
            allowed |= {8001}
        if name == "gateway":
            allowed = {53} | {PORTS[s] for s in SERVICES}
        assert _egress_ports(docs, labels) == allowed, name
    if overlay == "prod":  # narrowed to the namespace MariaDB and Redis run in
        (rule,) = of_kind(docs, "NetworkPolicy")["allow-database-and-redis"]["spec"]["egress"]
        assert rule["to"] == [{"namespaceSelector": {
            "matchLabels": {"kubernetes.io/metadata.name": "clinic-data"}}}]  # fmt: skip


def _pod_spec_labels(workload: dict[str, Any]) -> dict[str, str]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return workload["spec"]["template"]["metadata"]["labels"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_migrates_with_its_own_image_settings_and_secret(overlay: str) -> None:
    docs = rendered(overlay)
    deployments, jobs = of_kind(docs, "Deployment"), of_kind(docs, "Job")
    for name in SERVICES:
        job, deployment = jobs[f"{name}-migrate"], deployments[name]
        (migrate,), (serve,) = _pod_spec(job)["containers"], _pod_spec(deployment)["containers"]
        assert migrate["args"] == [f"clinic-{name}", "migrate"]
        assert migrate["image"] == serve["image"]
        assert migrate["envFrom"] == serve["envFrom"]
        assert _pod_spec(job)["volumes"] == _pod_spec(deployment)["volumes"]
        assert _pod_spec(job)["restartPolicy"] == "Never"
        assert _labels(job)["app.kubernetes.io/component"] == "migration"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_per_service_and_tagged(overlay: str) -> None:
    for workload in _workloads(overlay):
        for container in _pod_spec(workload)["containers"]:
            image = container["image"]
            assert re.fullmatch(r"[\w./-]+:[\w.-]+", image), image
            assert not image.endswith(":latest"), image
            name = _pod_spec_labels(workload)["app.kubernetes.io/name"]
            if name != "backup":
                assert image.rsplit(":", 1)[0].endswith(f"/clinic/{name}"), image


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rollout_script_labels_hold(overlay: str) -> None:
    """deploy/k8s/rollout.sh selects by label: shared objects carry no app name, the rest theirs."""
    for doc in rendered(overlay):
        name = _labels(doc).get("app.kubernetes.io/name")
        assert (
            _labels(doc).get("app.kubernetes.io/part-of") == "clinic" or doc["kind"] == "Namespace"
        )
        if doc["kind"] in {"Deployment", "Service", "HorizontalPodAutoscaler",
                           "PodDisruptionBudget", "Job", "Ingress"}:  # fmt: skip
            assert name in APPS, (doc["kind"], doc["metadata"]["name"])
        if doc["kind"] in {"ConfigMap", "Namespace"}:
            assert name is None, doc["metadata"]["name"]


def test_no_secret_is_in_the_repository_or_the_manifests() -> None:
    for overlay in OVERLAYS:
        assert not of_kind(rendered(overlay), "Secret")
        for config in of_kind(rendered(overlay), "ConfigMap").values():
            for key, value in config.get("data", {}).items():
                assert not re.search(r"PASSWORD=|_KEYS=|TOKEN=", f"{key}={value}"), key
    private = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
    key_material = re.compile(r"\b[\w-]{1,20}:[A-Za-z0-9+/]{43}=")  # records' id:base64 key
    for path in [*DEPLOY_FILES(), ROOT / "compose.yaml"]:
        text = path.read_text(errors="replace")
        assert not private.search(text), path
        assert not key_material.search(text), path


def DEPLOY_FILES() -> list[Path]:  # noqa: N802 - reads like the constant it stands for
    """Every file under deploy/ but the installed tools (node_modules)."""
    return [
        p for p in (ROOT / "deploy").rglob("*") if p.is_file() and "node_modules" not in p.parts
    ]


def test_the_backup_cronjob_runs_the_repositorys_backup_script() -> None:
    copy = K8S / "base" / "backup" / "backup.sh"
    assert copy.read_text() == (ROOT / "deploy" / "scripts" / "backup.sh").read_text(), (
        "deploy/k8s/base/backup/backup.sh must equal deploy/scripts/backup.sh: copy it again"
    )
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        cron = of_kind(docs, "CronJob")["backup"]
        (container,) = _pod_spec(cron)["containers"]
        assert container["command"][:2] == ["bash", "/scripts/backup.sh"]
        script = next(c for n, c in of_kind(docs, "ConfigMap").items() if n.startswith("backup-"))
        assert script["data"]["backup.sh"] == copy.read_text()
        env = {e["name"]: e for e in container["env"]}
        assert env["MYSQL_PWD"]["valueFrom"]["secretKeyRef"]["name"] == "clinic-backup"


def secret_paths(env: dict[str, str]) -> dict[str, str]:
    """Every /run/secrets/... path the settings name -> the file's name."""
    found = re.findall(r"/run/secrets/[\w/.-]+", " ".join(env.values()))
    return {path: Path(path).name for path in found}


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("app", APPS)
def test_the_settings_given_to_each_app_load_in_production_mode(
    overlay: str,
    app: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entrypoint: Any,
) -> None:
    docs = rendered(overlay)
    deployment = of_kind(docs, "Deployment")[app]
    (container,) = _pod_spec(deployment)["containers"]
    config_name = container["envFrom"][0]["configMapRef"]["name"]
    env = of_kind(docs, "ConfigMap")[config_name]["data"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volume = next(v for v in _pod_spec(deployment)["volumes"] if v["name"] == "secrets")
    assert volume["secret"]["secretName"] == f"clinic-{app}"
    paths = secret_paths(env)
    assert all(p.startswith(mounts["secrets"] + "/") for p in paths), paths
    settings = settings_for(app, env, paths, tmp_path, monkeypatch, entrypoint)
    assert settings.app_env == "prod"
    if app == "gateway":
        assert set(settings.upstreams) == set(SERVICES)
        for name, url in settings.upstreams.items():
            assert url == f"http://{name}:{PORTS[name]}"
        assert settings.ops_token is not None
        return
    from sqlalchemy import make_url

    url = make_url(settings.database_url)
    assert (url.username, url.database) == (app, f"clinic_{app}")
    assert url.password, "the entrypoint put the password from the Secret into the URL"
    if overlay == "prod" and app in READ_REPLICA_APPS:
        replica = make_url(settings.database_replica_url)
        assert (replica.username, replica.database) == (app, f"clinic_{app}")
        assert replica.host == "mariadb-secondary.clinic-data.svc.cluster.local"
        assert replica.host != url.host
    else:
        assert not settings.database_replica_url
    assert settings.jwks_url == "http://identity:8001/.well-known/jwks.json"
    if app == "identity":
        assert [p.name for p in settings.signing_key_files] == ["signing-key.pem"]
    if app == "records":
        from clinic_records.infrastructure.crypto import Cipher

        Cipher.from_text(settings.encryption_keys.get_secret_value())
