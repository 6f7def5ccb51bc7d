"""The generated project's Dockerfile, compose.yaml and CI workflow (issue 7).

No Docker engine and no GitHub runner are at hand, so these files are checked statically: by
the project's own pre-commit hooks (hadolint; check-jsonschema with the Compose specification
and GitHub's workflow schema it ships), run offline, and by reading them here, per answers:
what each Dockerfile stage does, which services compose and CI start, and that ci_provider=none
leaves no CI behind. test_serving.py runs the image's command, configuration and HEALTHCHECK
for real, outside a container.
"""

from __future__ import annotations

import ast
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from serving_support import Stage, dockerfile_stages
from support import BASE_ANSWERS, run

# Answers that change the container and CI files, each value met at least once.
COMBINATIONS: dict[str, dict[str, Any]] = {
    "django-sqlite-github": {
        "framework": "django",
        "database": "sqlite",
        "include_jobs": False,
        "ci_provider": "github",
    },
    "flask-postgresql-jobs-github-py3.13": {
        "framework": "flask",
        "database": "postgresql",
        "include_jobs": True,
        "ci_provider": "github",
        "python_version": "3.13",
    },
    "django-postgresql-jobs-none": {
        "framework": "django",
        "database": "postgresql",
        "include_jobs": True,
        "ci_provider": "none",
    },
    "flask-sqlite-none-py3.11": {
        "framework": "flask",
        "database": "sqlite",
        "include_jobs": False,
        "ci_provider": "none",
        "python_version": "3.11",
    },
}
PACKAGE = "task_tracker"  # from BASE_ANSWERS' project name
WORKER_COMMANDS = {
    "django": ["celery", "--app", "config", "worker", "--loglevel", "INFO"],
    "flask": ["celery", "--app", f"{PACKAGE}.worker", "worker", "--loglevel", "INFO"],
}
BROKER_URL = "redis://redis:6379/0"
BUILD_TOOLS = ("apt-get", "apk ", "gcc", "build-essential", "pip ", "uv ", "uv==")
# A proxy that answers nothing: a hook that tried to download would fail.
OFFLINE = {
    name: "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
}

Project = Callable[[str], Path]


@pytest.fixture(scope="module")
def project(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The project rendered (without git) for a combination's id, once per test module."""
    rendered: dict[str, Path] = {}

    def render(combination: str) -> Path:
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
            rendered[combination] = destination
        return rendered[combination]

    return render


def answers(combination: str) -> dict[str, Any]:
    return {"python_version": "3.12", **COMBINATIONS[combination]}


def final_stage(project: Path) -> Stage:
    return dockerfile_stages((project / "Dockerfile").read_text())[-1]


def compose(project: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((project / "compose.yaml").read_text()))


def workflow(project: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text()))


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an instruction's exec form, e.g. CMD ["gunicorn", ...]."""
    command = yaml.safe_load(arguments[arguments.index("[") :])
    assert isinstance(command, list), arguments
    return [str(part) for part in command]


def imported_modules(source: str) -> set[str]:
    """The top-level names of every module `source` imports."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.partition(".")[0])
    return modules


def git_project(project: Path, env: dict[str, str]) -> None:
    """pre-commit looks at the files git knows."""
    if not (project / ".git").exists():
        run(["git", "init", "-q"], cwd=project, env=env)
    run(["git", "add", "-A"], cwd=project, env=env)


# --- the linters, as the project's pre-commit runs them -------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_container_and_ci_files_pass_their_linters_offline(
    project: Project, combination: str, tool_env: dict[str, str]
) -> None:
    root = project(combination)
    git_project(root, tool_env)
    run(["pre-commit", "install-hooks"], cwd=root, env=tool_env)  # may download, once

    hooks = ["hadolint", "check-compose"]
    if answers(combination)["ci_provider"] == "github":
        hooks.append("check-github-workflows")
    for hook in hooks:
        result = run(
            ["pre-commit", "run", hook, "--all-files"], cwd=root, env={**tool_env, **OFFLINE}
        )
        assert "Passed" in result.stdout, result.stdout


# Each hook, a file it must refuse, and a word of its complaint.
BROKEN_FILES = [
    # The `latest` tag, and packages installed without versions or clean-up.
    ("hadolint", "Dockerfile", "FROM python:latest\nRUN apt-get install -y curl\n", "DL3007"),
    # `colour` is no key of a service.
    ("check-compose", "compose.yaml", "services:\n  app:\n    colour: blue\n", "colour"),
    # A job needs `runs-on` (or `uses`), and `steps` a list.
    (
        "check-github-workflows",
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  check:\n    steps: 3\n",
        "steps",
    ),
]


@pytest.mark.parametrize(
    ("hook", "name", "content", "complaint"), BROKEN_FILES, ids=[row[0] for row in BROKEN_FILES]
)
def test_the_linters_refuse_a_broken_file(
    project: Project,
    tool_env: dict[str, str],
    tmp_path: Path,
    hook: str,
    name: str,
    content: str,
    complaint: str,
) -> None:
    root = tmp_path / "project"
    source = project("flask-postgresql-jobs-github-py3.13")
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".git"))
    (root / name).write_text(content)
    git_project(root, tool_env)

    result = run(["pre-commit", "run", hook, "--all-files"], cwd=root, env=tool_env, check=False)

    assert result.returncode == 1, f"{hook} let a broken {name} through:\n{result.stdout}"
    assert complaint in result.stdout, result.stdout


# --- the Dockerfile -------------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_image_is_built_in_stages_and_runs_gunicorn_as_a_user_without_privileges(
    project: Project, combination: str
) -> None:
    root = project(combination)
    stages = dockerfile_stages((root / "Dockerfile").read_text())
    python = answers(combination)["python_version"]

    assert [stage.name for stage in stages] == ["builder", "runtime"]
    assert all(stage.base.startswith(f"python:{python}-slim") for stage in stages)
    runtime = stages[-1]
    users = runtime.all("USER")
    assert users, "the final stage runs as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    framework = answers(combination)["framework"]
    app = "config.wsgi:application" if framework == "django" else "task_tracker.app:create_app()"
    assert exec_form(runtime.all("CMD")[-1]) == ["gunicorn", "--config", "gunicorn.conf.py", app]
    assert (root / "gunicorn.conf.py").is_file()


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_uv_installs_from_the_lock_file_and_comes_from_pypi_pinned(
    project: Project, combination: str
) -> None:
    root = project(combination)
    dockerfile = (root / "Dockerfile").read_text()
    builder = dockerfile_stages(dockerfile)[0]

    assert any("pip install --no-cache-dir uv==" in command for command in builder.all("RUN"))
    assert any("uv sync --locked --no-dev" in command for command in builder.all("RUN"))
    assert "ghcr.io" not in dockerfile
    assert "github" not in dockerfile.lower()


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_final_stage_holds_no_build_tools(project: Project, combination: str) -> None:
    runtime = final_stage(project(combination))

    for command in runtime.all("RUN"):
        assert not any(tool in f"{command} " for tool in BUILD_TOOLS), command
    copies = runtime.all("COPY")
    assert copies, "the final stage copies nothing from the builder"
    assert all(copy.startswith("--from=builder ") for copy in copies), copies


@pytest.mark.parametrize("combination", ["django-sqlite-github", "flask-sqlite-none-py3.11"])
def test_the_static_files_are_collected_at_build_time_for_django_only(
    project: Project, combination: str
) -> None:
    builder = dockerfile_stages((project(combination) / "Dockerfile").read_text())[0]
    collects = any("collectstatic" in command for command in builder.all("RUN"))

    assert collects is (answers(combination)["framework"] == "django")


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_healthcheck_asks_the_health_endpoint_with_the_standard_library_only(
    project: Project, combination: str
) -> None:
    root = project(combination)
    (healthcheck,) = final_stage(root).all("HEALTHCHECK")

    command = exec_form(healthcheck)
    assert command == ["python", "scripts/healthcheck.py"]
    script = (root / command[1]).read_text()
    assert '"/api/health"' in script
    assert imported_modules(script) <= set(sys.stdlib_module_names) | {"__future__"}


@pytest.mark.parametrize("combination", ["django-sqlite-github", "django-postgresql-jobs-none"])
def test_sqlite_keeps_its_file_in_a_folder_the_user_may_write(
    project: Project, combination: str
) -> None:
    runtime = final_stage(project(combination))
    sqlite = answers(combination)["database"] == "sqlite"

    assert ("DATABASE_URL=sqlite:////data/db.sqlite3" in runtime.all("ENV")) is sqlite
    assert any("chown app:app /data" in command for command in runtime.all("RUN")) is sqlite


def test_the_build_context_leaves_secrets_and_local_state_out(project: Project) -> None:
    ignored = (project("django-sqlite-github") / ".dockerignore").read_text().split()

    for name in (".env", ".git", ".venv", "db.sqlite3", "staticfiles"):
        assert name in ignored, name


# --- compose.yaml ---------------------------------------------------------------------------


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_compose_starts_the_services_the_answers_need(project: Project, combination: str) -> None:
    spec = compose(project(combination))
    chosen = answers(combination)

    expected = {"migrate", "app"}
    if chosen["database"] == "postgresql":
        expected.add("db")
    if chosen["include_jobs"]:
        expected |= {"worker", "redis"}
    assert set(spec["services"]) == expected
    volumes = set(spec["volumes"])
    assert volumes == ({"postgres-data"} if chosen["database"] == "postgresql" else {"data"})


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_the_app_waits_for_its_migrations_and_runs_without_debug(
    project: Project, combination: str
) -> None:
    services = compose(project(combination))["services"]
    app = services["app"]

    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["environment"]["DEBUG"] == "false"
    assert "env_file" not in app, "compose must not hand the development .env to production"
    assert app["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")
    if "db" in services:
        assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
        assert app["environment"]["DATABASE_URL"].startswith("postgres://app:app@db:5432/")


@pytest.mark.parametrize(
    "combination", ["flask-postgresql-jobs-github-py3.13", "django-postgresql-jobs-none"]
)
def test_the_worker_runs_the_projects_celery_app_on_redis(
    project: Project, combination: str
) -> None:
    services = compose(project(combination))["services"]
    framework = answers(combination)["framework"]

    assert services["worker"]["command"] == WORKER_COMMANDS[framework]
    for name in ("app", "worker"):
        assert services[name]["environment"]["CELERY_BROKER_URL"] == BROKER_URL
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


# --- CI -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "combination", ["django-sqlite-github", "flask-postgresql-jobs-github-py3.13"]
)
def test_ci_runs_make_check_on_the_chosen_python_with_the_services_the_answers_need(
    project: Project, combination: str
) -> None:
    chosen = answers(combination)
    (job,) = workflow(project(combination))["jobs"].values()

    steps = job["steps"]
    setup_uv = next(step for step in steps if step.get("uses", "").startswith("astral-sh/setup-uv"))
    assert setup_uv["with"]["python-version"] == chosen["python_version"]
    assert [step["run"] for step in steps if "run" in step][:2] == ["make install", "make check"]
    services = set(job.get("services", {}))
    expected = set()
    if chosen["database"] == "postgresql":
        expected.add("postgres")
        assert job["env"]["DATABASE_URL"].startswith("postgres://postgres:postgres@127.0.0.1:5432/")
    if chosen["include_jobs"]:
        expected.add("redis")
        assert job["env"]["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"
    assert services == expected
    assert job["env"]["E2E_REQUIRE_BROWSER"] == "1", "CI must not skip the browser tests"


@pytest.mark.parametrize("combination", ["django-postgresql-jobs-none", "flask-sqlite-none-py3.11"])
def test_without_a_ci_provider_no_ci_file_nor_hook_is_left(
    project: Project, combination: str
) -> None:
    root = project(combination)

    assert not (root / ".github").exists()
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert "check-github-workflows" not in {hook["id"] for hook in hooks}
    assert ".github" not in (root / ".pre-commit-config.yaml").read_text()
