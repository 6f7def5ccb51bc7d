"""The generated project's Kubernetes manifests (issue 17, item 6): deploy/k8s/.

No cluster and no kubectl are at hand, so every combination of the answers that changes the
manifests (framework x database x jobs x ML) is rendered and its kustomizations are built by
the project's own scripts/check_k8s.py, the pre-commit hook's program; each resource is
validated against Kubernetes' JSON schemas with kubernetes-validate, which ships them. Then
the built production overlay is read as a cluster would get it: probes, users, volumes, the
worker, the migration, the autoscaler, and secrets that hold placeholders only. Where a
manifest repeats what the Dockerfile or compose.yaml says (the image's user, the migration's
and the worker's commands), the two must agree.
"""

from __future__ import annotations

import importlib.util
import itertools
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import copier
import pytest
import yaml

from serving_support import dockerfile_stages
from support import BASE_ANSWERS, run

SLUG = "task-tracker"  # from BASE_ANSWERS' project name
PACKAGE = "task_tracker"
COMBINATIONS: dict[str, dict[str, Any]] = {
    f"{framework}-{database}{'-jobs' if jobs else ''}{'-ml' if ml else ''}": {
        "framework": framework,
        "database": database,
        "include_jobs": jobs,
        "include_ml": ml,
    }
    for framework, database, jobs, ml in itertools.product(
        ("django", "flask"), ("sqlite", "postgresql"), (False, True), (False, True)
    )
}
OVERLAY = Path("deploy/k8s/overlays/production")
BASE = Path("deploy/k8s/base")
HEALTH_PATH = "/api/health"
# A proxy that answers nothing: a hook that tried to download would fail.
OFFLINE = {
    name: "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
}

Resource = dict[str, Any]


class Rendered:
    """A rendered project, its checker module, and its production overlay as built."""

    def __init__(self, root: Path, answers: dict[str, Any]) -> None:
        self.root = root
        self.answers = answers
        self.checker = load_module(root / "scripts" / "check_k8s.py", f"check_k8s_{id(self)}")
        self.production = self.checker.build(root / OVERLAY)

    def get(self, kind: str, name: str) -> Resource:
        (found,) = [
            r for r in self.production if (r["kind"], r["metadata"]["name"]) == (kind, name)
        ]
        return dict(found)

    def kinds(self, kind: str) -> list[Resource]:
        return [r for r in self.production if r["kind"] == kind]

    def settings(self) -> dict[str, str]:
        return dict(self.get("ConfigMap", f"{SLUG}-settings")["data"])


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project(
    template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Rendered]:
    """The project rendered (without git) for a combination's id, once per test module."""
    rendered: dict[str, Rendered] = {}

    def render(combination: str) -> Rendered:
        if combination not in rendered:
            destination = tmp_path_factory.mktemp(combination) / "project"
            copier.run_copy(
                src_path=str(template_repo),
                dst_path=str(destination),
                data={**BASE_ANSWERS, "init_git": False, **COMBINATIONS[combination]},
                defaults=True,
                unsafe=True,
                vcs_ref="HEAD",
                quiet=True,
            )
            rendered[combination] = Rendered(destination, COMBINATIONS[combination])
        return rendered[combination]

    return render


def pod_specs(resources: list[Resource]) -> Iterator[tuple[str, Resource]]:
    for resource in resources:
        if resource["kind"] in {"Deployment", "Job"}:
            yield resource["metadata"]["name"], resource["spec"]["template"]["spec"]


def container(resource: Resource) -> Resource:
    (only,) = resource["spec"]["template"]["spec"]["containers"]
    return dict(only)


def compose_command(root: Path, service: str) -> list[str]:
    spec = yaml.safe_load((root / "compose.yaml").read_text())
    return [str(part) for part in spec["services"][service]["command"]]


def image_user(root: Path) -> int:
    """The numeric user the image's final stage runs as (Dockerfile: USER uid:gid)."""
    runtime = dockerfile_stages((root / "Dockerfile").read_text())[-1]
    return int(runtime.all("USER")[-1].split(":")[0])


def kustomization(root: Path, folder: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((root / folder / "kustomization.yaml").read_text()))


# --- schemas and structure ------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_every_kustomization_builds_and_every_resource_passes_the_kubernetes_schemas(
    project: Callable[[str], Rendered], combination: str
) -> None:
    root = project(combination).root

    result = subprocess.run(
        [sys.executable, "scripts/check_k8s.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.parent.relative_to(root) for p in root.rglob("kustomization.yaml")) == [
        BASE,
        OVERLAY,
    ]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_overlays_patches_change_resources_of_the_base(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    base = {
        (r["kind"], r["metadata"]["name"]) for r in rendered.checker.build(rendered.root / BASE)
    }

    patches = kustomization(rendered.root, OVERLAY)["patches"]
    assert patches
    for patch in patches:
        for document in rendered.checker.load_documents(rendered.root / OVERLAY / patch["path"]):
            assert (document["kind"], document["metadata"]["name"]) in base, patch


@pytest.mark.parametrize("combination", ["django-postgresql-jobs-ml", "flask-sqlite"])
def test_the_checker_refuses_an_unknown_field_a_stray_patch_and_a_missing_reference(
    project: Callable[[str], Rendered], combination: str, tmp_path: Path
) -> None:
    source = project(combination)
    root = tmp_path / "project"
    shutil.copytree(source.root, root)
    web = root / BASE / "web-deployment.yaml"
    web.write_text(web.read_text().replace("readOnlyRootFilesystem", "readOnlyRootFileSystem"))
    patch = root / OVERLAY / "web-resources.yaml"
    patch.write_text(patch.read_text().replace(f"name: {SLUG}-web", f"name: {SLUG}-api"))
    service = root / BASE / "service.yaml"
    service.write_text(service.read_text().replace("component: web", "component: api"))

    problems = "\n".join(source.checker.check(root / "deploy" / "k8s"))

    assert "'readOnlyRootFileSystem' was unexpected" in problems
    assert f"the patch of Deployment {SLUG}-api matches no resource" in problems
    assert f"Service {SLUG}-web selects no pods" in problems


def test_the_pre_commit_hook_checks_the_manifests_offline(
    project: Callable[[str], Rendered], tool_env: dict[str, str], tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(project("flask-postgresql-jobs").root, root)
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    (hook,) = [h for r in config["repos"] for h in r["hooks"] if h["id"] == "check-k8s"]
    assert hook["language"] == "python"
    assert hook["additional_dependencies"] == ["kubernetes-validate==1.37.0"]
    assert hook["files"].startswith("^(deploy/k8s/")
    run(["git", "init", "-q"], cwd=root, env=tool_env)
    run(["git", "add", "-A"], cwd=root, env=tool_env)
    run(["pre-commit", "install-hooks"], cwd=root, env=tool_env)  # may download, once

    passed = run(
        ["pre-commit", "run", "check-k8s", "--all-files"], cwd=root, env={**tool_env, **OFFLINE}
    )
    ingress = root / BASE / "ingress.yaml"
    ingress.write_text(ingress.read_text().replace("pathType: Prefix", "pathKind: Prefix"))
    run(["git", "add", "-A"], cwd=root, env=tool_env)
    failed = run(
        ["pre-commit", "run", "check-k8s", "--all-files"],
        cwd=root,
        env={**tool_env, **OFFLINE},
        check=False,
    )

    assert "Passed" in passed.stdout, passed.stdout
    assert failed.returncode == 1, failed.stdout
    assert "'pathType' is a required property" in failed.stdout, failed.stdout


# --- the web pods ---------------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_web_probes_ask_for_the_health_endpoint_with_a_host_the_app_accepts(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    web = container(rendered.get("Deployment", f"{SLUG}-web"))
    allowed_hosts = rendered.settings()["ALLOWED_HOSTS"].split(",")

    for probe in (web["readinessProbe"], web["livenessProbe"]):
        assert probe["httpGet"]["path"] == HEALTH_PATH
        assert probe["httpGet"]["port"] == "http"
        (host,) = [h["value"] for h in probe["httpGet"]["httpHeaders"] if h["name"] == "Host"]
        assert host in allowed_hosts
    assert web["ports"] == [{"name": "http", "containerPort": 8000}]  # the image's GUNICORN_BIND
    # The public host comes first: the reset mail's links and the image's health check use it.
    assert allowed_hosts[0] == f"{SLUG}.example.com"


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_web_pods_run_the_images_command_with_limits_and_settings_from_config(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    web = container(rendered.get("Deployment", f"{SLUG}-web"))

    # The image's CMD: gunicorn, as the Dockerfile runs it.
    assert "command" not in web
    assert "args" not in web
    assert web["image"] == f"registry.example.com/{SLUG}:0.1.0"
    assert {"cpu", "memory"} <= set(web["resources"]["requests"])
    assert "memory" in web["resources"]["limits"]
    assert web["envFrom"] == [
        {"configMapRef": {"name": f"{SLUG}-settings"}},
        {"secretRef": {"name": f"{SLUG}-secrets"}},
    ]
    settings = rendered.settings()
    assert settings["DEBUG"] == "false"
    assert settings["WEB_CONCURRENCY"].isdigit()  # not gunicorn's count of the node's CPUs


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_every_container_runs_as_the_images_user_on_a_read_only_root(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    user = image_user(rendered.root)

    specs = dict(pod_specs(rendered.production))
    assert specs
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == user, name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {v["name"]: v for v in spec["volumes"]}
        for box in spec["containers"]:
            context = box["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            mounts = {m["mountPath"]: volumes[m["name"]] for m in box["volumeMounts"]}
            assert "emptyDir" in mounts["/tmp"], name
    web = specs[f"{SLUG}-web"]
    (shm,) = [m for m in web["containers"][0]["volumeMounts"] if m["mountPath"] == "/dev/shm"]
    assert "/dev/shm" in (rendered.root / "gunicorn.conf.py").read_text()  # worker_tmp_dir
    assert shm["name"] in {v["name"] for v in web["volumes"] if "emptyDir" in v}


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_ingress_reaches_the_web_service_on_the_public_host_with_tls(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    ingress = rendered.get("Ingress", f"{SLUG}-web")
    service = rendered.get("Service", f"{SLUG}-web")

    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == f"{SLUG}.example.com"
    assert rule["http"]["paths"][0]["backend"]["service"]["name"] == service["metadata"]["name"]
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert rendered.settings()["TRUSTED_PROXY_HOPS"] == "1"
    assert all(
        r["metadata"].get("namespace") == SLUG
        for r in rendered.production
        if r["kind"] != "Namespace"
    )


# --- the answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_worker_exists_exactly_when_jobs_are_on_and_runs_composes_command(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    workers = [r for r in rendered.kinds("Deployment") if r["metadata"]["name"] == f"{SLUG}-worker"]

    assert bool(workers) is rendered.answers["include_jobs"]
    assert (rendered.root / BASE / "worker-deployment.yaml").exists() is rendered.answers[
        "include_jobs"
    ]
    if workers:
        worker = container(workers[0])
        assert worker["command"] == compose_command(rendered.root, "worker")
        assert "readinessProbe" not in worker
        ping = " ".join(worker["livenessProbe"]["exec"]["command"])
        app = worker["command"][worker["command"].index("--app") + 1]
        assert f"celery --app {app} inspect ping" in ping
        assert '--destination "celery@$HOSTNAME"' in ping


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_migration_job_runs_the_command_compose_runs(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    migrate = container(rendered.get("Job", f"{SLUG}-migrate"))

    expected = {
        "django": ["python", "manage.py", "migrate", "--noinput"],
        "flask": ["flask", "--app", f"{PACKAGE}.app", "db", "upgrade"],
    }[rendered.answers["framework"]]
    assert migrate["command"] == expected == compose_command(rendered.root, "migrate")
    assert migrate["image"] == container(rendered.get("Deployment", f"{SLUG}-web"))["image"]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_sqlite_runs_one_web_pod_on_a_volume_and_postgresql_scales_on_cpu(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    web = rendered.get("Deployment", f"{SLUG}-web")
    claims = {r["metadata"]["name"]: r for r in rendered.kinds("PersistentVolumeClaim")}
    autoscalers = rendered.kinds("HorizontalPodAutoscaler")

    if rendered.answers["database"] == "sqlite":
        assert web["spec"]["replicas"] == 1
        assert web["spec"]["strategy"] == {"type": "Recreate"}
        assert autoscalers == []
        assert claims[f"{SLUG}-data"]["spec"]["accessModes"] == ["ReadWriteOnce"]
        mounts = container(web)["volumeMounts"]
        assert {"name": "data", "mountPath": "/data"} in mounts  # the Dockerfile's DATABASE_URL
        assert "DATABASE_URL" not in rendered.settings()
    else:
        (autoscaler,) = autoscalers
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        assert autoscaler["spec"]["scaleTargetRef"]["name"] == f"{SLUG}-web"
        (metric,) = autoscaler["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu"
        assert "replicas" not in web["spec"]  # the autoscaler owns the count
        assert f"{SLUG}-data" not in claims


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_model_file_is_on_a_volume_every_pod_that_trains_or_predicts_mounts(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    settings = rendered.settings()

    assert ("ML_MODEL_PATH" in settings) is rendered.answers["include_ml"]
    if rendered.answers["include_ml"]:
        assert settings["ML_MODEL_PATH"].startswith("/data/")
        assert settings["ML_REPORTS_DIR"].startswith("/data/")
        for resource in rendered.kinds("Deployment"):
            mounts = container(resource)["volumeMounts"]
            assert "/data" in {m["mountPath"] for m in mounts}, resource["metadata"]["name"]


# --- secrets --------------------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_secrets_in_the_repository_are_placeholders_the_app_refuses(
    project: Callable[[str], Rendered], combination: str
) -> None:
    rendered = project(combination)
    secret_key = load_module(rendered.root / PACKAGE / "core" / "secret_key.py", "secret_key")
    base = kustomization(rendered.root, BASE)["secretGenerator"][0]["literals"]
    example = (rendered.root / OVERLAY / "secrets.env.example").read_text()
    example_values = [line for line in example.splitlines() if line and not line.startswith("#")]
    expected = {"SECRET_KEY"}
    if rendered.answers["database"] == "postgresql":
        expected.add("DATABASE_URL")
    if rendered.answers["include_jobs"]:
        expected.add("CELERY_BROKER_URL")

    for pairs in (base, example_values):
        values = dict(pair.split("=", 1) for pair in pairs)
        assert set(values) == expected
        assert all("change-me" in value for value in values.values()), values
        assert secret_key.problem_with_secret_key(values["SECRET_KEY"]) is not None
    # The overlay takes the real ones from a file that git and docker build leave out.
    overlay_secrets = kustomization(rendered.root, OVERLAY)["secretGenerator"]
    assert overlay_secrets == [
        {"name": f"{SLUG}-secrets", "behavior": "replace", "envs": ["secrets.env"]}
    ]
    ignored = "deploy/k8s/overlays/*/secrets.env"
    assert ignored in (rendered.root / ".gitignore").read_text().splitlines()
    assert ignored in (rendered.root / ".dockerignore").read_text().splitlines()
    assert not any(
        document.get("kind") == "Secret"
        for path in (rendered.root / "deploy").rglob("*.yaml")
        for document in yaml.safe_load_all(path.read_text())
        if document
    )
