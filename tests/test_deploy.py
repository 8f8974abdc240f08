"""The deployment files: Kubernetes manifests against the Kubernetes schemas, compose and Dockerfile
against what docs/deploy.md promises.

The manifests are validated with `kubernetes-validate` (PyPI), which ships the
Kubernetes JSON schemas inside the package, so this runs offline; strict mode
refuses unknown fields. No container engine runs here, so the image is not
built by the tests (docs/deploy.md says how CI with Docker would).
"""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).parent.parent
DEPLOY = ROOT / "deploy"
K8S_VERSION = "1.33.0"  # a current release, well inside the schemas the package bundles
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))


def documents() -> list[tuple[str, dict]]:
    out = []
    for path in MANIFESTS:
        for i, doc in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
            if doc:
                out.append((f"{path.name}#{i}", doc))
    return out


@pytest.mark.parametrize("name,doc", documents(), ids=[n for n, _ in documents()])
def test_every_manifest_is_valid_kubernetes(name: str, doc: dict) -> None:
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_validator_refuses_a_broken_manifest() -> None:
    """The check can fail: a misspelt field and a wrong type are both caught."""
    deployment = next(d for _, d in documents() if d["kind"] == "Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)
    misspelt = yaml.safe_load(yaml.safe_dump(deployment))
    misspelt["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(misspelt, K8S_VERSION, strict=True)


def test_deployment_has_probes_resources_and_graceful_termination() -> None:
    by_kind = {d["kind"]: d for _, d in documents()}
    deployment, service = by_kind["Deployment"], by_kind["Service"]
    spec = deployment["spec"]["template"]["spec"]
    relay = next(c for c in spec["containers"] if c["name"] == "relay")
    assert deployment["spec"]["replicas"] >= 2
    assert relay["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert relay["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert relay["resources"]["requests"] and relay["resources"]["limits"]
    assert spec["terminationGracePeriodSeconds"] >= 10 and "preStop" in relay["lifecycle"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert "--usage-store=/usage" in relay["args"] and "--stateless" in relay["args"]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    port = relay["ports"][0]
    assert service["spec"]["ports"][0]["targetPort"] in (port["name"], port["containerPort"])
    claim = by_kind["PersistentVolumeClaim"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]  # every replica writes the store
    assert by_kind["CronJob"]["spec"]["concurrencyPolicy"] == "Forbid"  # one compaction at a time


def test_compose_runs_two_replicas_on_one_usage_store_and_a_static_server() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [s for s in services.values() if "relay serve" in " ".join(s.get("command", []))]
    assert len(replicas) == 2
    for replica in replicas:
        assert "usage:/data/usage" in replica["volumes"]
        assert "--usage-store /data/usage" in replica["command"][0]
        assert replica["stop_signal"] == "SIGTERM" and replica["user"] != "root"
    web = services["web"]
    assert web["image"].startswith("nginx") and "site:/usr/share/nginx/html:ro" in web["volumes"]
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "server relay-1:8765;" in nginx and "server relay-2:8765;" in nginx
    assert set(compose["volumes"]) >= {"usage", "site"}


def test_dockerfile_is_multi_stage_and_runs_unprivileged() -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) >= 2
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1].split()[1].split(":")[0] not in ("0", "root")
    assert any("node_modules" in line and line.startswith("COPY --from=") for line in lines)
    assert any("site_templates" in line for line in lines)  # the builder's assets are in the image
    for line in lines:
        if line.startswith("COPY ") and not line.startswith("COPY --from="):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is not in the repo"
