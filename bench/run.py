"""The benchmark: both flavours side by side, measured in one run (issue 8).

    uv run python bench/run.py                      # everything, as the README says
    uv run python bench/run.py --baseline 38ea8e3   # and an earlier commit beside it
    uv run python bench/run.py --short              # CI's form: 10 and 10,000 tasks, 3 s each

For each flavour it renders the template's committed HEAD with PostgreSQL, seeds one user's
tasks at each size (a bulk insert through the ORM, timed), serves the project with gunicorn in
production settings and loads it with wrk from a separate process on loopback: the health
endpoint, a bare "hello" view in the same process (the baseline), the first page of 20 tasks,
a filtered and a searched page. It also counts the SQL statements of one request of each, and
times `copier copy` and the first steps of a new project. Results: bench/results/results.json
and results.md (a Markdown table, also printed), each target marked met or missed.

With `--baseline REV` it also renders that commit of the template and serves it beside HEAD,
with the same seed data, search words and load: each endpoint is loaded on one and then the
other, size by size, so both see the same machine. The exit status is 1 when a statement-count
or failed-response target is missed (what CI checks; the timing targets need a quiet machine).

Needs wrk (`apt-get install wrk`), psql, and PostgreSQL on 127.0.0.1:5432 trusting `postgres`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.report import Measurement, markdown, regressions, targets  # noqa: E402
from bench.wrk import parse  # noqa: E402

HOST = "127.0.0.1"
PACKAGE = "bench_tracker"
PROJECT_NAME = "Bench Tracker"
PYTHON_VERSION = "3.12"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
USERNAME = "bench_user"
PASSWORD = "benchmark horse battery staple"
PAGE_SIZE = 20
ENDPOINTS: dict[str, str] = {
    "health": "/api/health",
    "hello (baseline)": "/bench/hello",
    "tasks: first page": f"/api/tasks?size={PAGE_SIZE}",
    "tasks: filtered": f"/api/tasks?size={PAGE_SIZE}&category=work&done=false",
    "tasks: searched": f"/api/tasks?size={PAGE_SIZE}&q=report",
}
AUTHENTICATED = {"tasks: first page", "tasks: filtered", "tasks: searched"}
COPY_RUNS = 3
#: The CI-friendly form (`--short`): what catches a change in statements per request.
SHORT_SIZES = [10, 10_000]
SHORT_DURATION_S = 3
PROJECT_FILES = {
    flavour: sorted((BENCH / "project_files" / flavour).glob("*.py"))
    for flavour in ("django", "flask")
}


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    for tool in ("wrk", "psql", "git", "make"):
        if shutil.which(tool) is None:
            print(f"{tool} is not on PATH (wrk and psql: apt-get install wrk postgresql-client)")
            return 2
    started = time.monotonic()
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "sizes": options.sizes,
            "duration_s": options.duration,
            "connections": options.connections,
            "threads": options.threads,
            "gunicorn_workers": options.workers,
            "template_commit": git_head(),
            "baseline_commit": git_short(options.baseline) if options.baseline else None,
        },
        "flavours": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for flavour in options.flavours:
            print(f"== {flavour}")
            folder = Path(scratch) / flavour
            folder.mkdir()
            subjects = [Subject(flavour, flavour, "HEAD")]
            if options.baseline:
                label = f"{flavour} @ {results['settings']['baseline_commit']}"
                subjects.append(Subject(label, flavour, options.baseline))
            loads = load_measurements(subjects, folder, options)
            for subject in subjects:
                entry: dict[str, Any] = {"load": loads[subject.label]}
                if subject.ref == "HEAD" and not options.skip_copy_timings:
                    entry["copy"] = copy_timings(flavour, folder)
                results["flavours"][subject.label] = entry
    results["targets"] = targets(results)
    results["total_s"] = round(time.monotonic() - started, 1)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (options.out / "results.md").write_text(table)
    print(table)
    missed = regressions(results["targets"])
    for target in missed:
        print(f"missed: {target['flavour']}: {target['what']} ({target['measured']})")
    return 1 if missed else 0


@dataclass(frozen=True)
class Subject:
    """What is measured: a flavour rendered from one commit of the template."""

    label: str
    flavour: str
    ref: str


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flavours", default="django,flask", type=lambda text: text.split(","))
    parser.add_argument(
        "--sizes", default="10,10000,100000", type=lambda text: [int(n) for n in text.split(",")]
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--skip-copy-timings", action="store_true")
    parser.add_argument(
        "--baseline", metavar="REV", help="also measure this commit of the template, beside HEAD"
    )
    parser.add_argument(
        "--short",
        action="store_true",
        help=f"CI's form: {SHORT_SIZES} tasks, {SHORT_DURATION_S} s per endpoint, no copy timings",
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    options = parser.parse_args(argv)
    if options.short:
        options.sizes, options.duration = SHORT_SIZES, SHORT_DURATION_S
        options.skip_copy_timings = True
    return options


# --- commands -------------------------------------------------------------------------------


def tool_env(**extra: str) -> dict[str, str]:
    """The environment of the template's own tools, with uv's and pyenv's Python pinned."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.update(extra)
    return env


def python_interpreter(version: str) -> str:
    found = shutil.which(f"python{version}")
    candidates = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python"))
    if candidates:
        return str(candidates[-1])
    if found:
        return found
    raise SystemExit(f"no Python {version} found (pyenv install {version})")


def run(command: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed in {cwd}:\n{done.stdout[-4000:]}")
    return done.stdout


def timed(command: list[str], cwd: Path, env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    run(command, cwd, env)
    return time.perf_counter() - started


def copier_copy(
    flavour: str, dst: Path, env: Mapping[str, str], ref: str = "HEAD", **answers: str
) -> list[str]:
    data = {"project_name": PROJECT_NAME, "framework": flavour, **answers}
    args = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet"]
    args += ["--vcs-ref", ref]
    for name, value in data.items():
        args += ["--data", f"{name}={value}"]
    return [*args, str(REPO_ROOT), str(dst)]


def git_head() -> str:
    return git_short("HEAD")


def git_short(ref: str) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "--verify", f"{ref}^{{commit}}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"no commit {ref!r} in {REPO_ROOT}: {done.stderr.strip()}")
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "python": PYTHON_VERSION,
        "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip(),
    }


# --- copier copy and the first steps --------------------------------------------------------


def copy_timings(flavour: str, folder: Path) -> dict[str, float]:
    """Median of COPY_RUNS renders, with and without git (warm caches), then one new project
    from render to green tests, then its `make check`; and, for scale, the same copier
    rendering a template of one file."""
    env = tool_env()
    render_only, with_git, copier_alone = [], [], []
    one_file_template = tiny_template(folder / "one-file-template", env)
    for number in range(COPY_RUNS):
        command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet"]
        command += ["--vcs-ref", "HEAD", str(one_file_template), str(folder / f"tiny-{number}")]
        copier_alone.append(timed(command, folder, env))
    # One copy with git first, unmeasured: it warms uv's and pre-commit's caches.
    run(copier_copy(flavour, folder / "warm", env), folder, env)
    for number in range(COPY_RUNS):
        plain = folder / f"render-{number}"
        render_only.append(timed(copier_copy(flavour, plain, env, init_git="false"), folder, env))
        full = folder / f"git-{number}"
        with_git.append(timed(copier_copy(flavour, full, env), folder, env))
    project = folder / "first-steps"
    started = time.perf_counter()
    run(copier_copy(flavour, project, env, init_git="false"), folder, env)
    run(["make", "install"], project, env)
    run(["make", "test"], project, env)
    first_steps = time.perf_counter() - started
    check = timed(["make", "check"], project, env)
    timings = {
        "copier_one_file_s": round(statistics.median(copier_alone), 2),
        "render_s": round(statistics.median(render_only), 2),
        "render_git_hooks_commit_s": round(statistics.median(with_git), 2),
        "render_install_test_s": round(first_steps, 1),
        "make_check_s": round(check, 1),
    }
    print(f"   copy timings: {timings}")
    return timings


def tiny_template(folder: Path, env: Mapping[str, str]) -> Path:
    """A copier template of one question and one file, committed: copier's own cost."""
    (folder / "template").mkdir(parents=True)
    (folder / "copier.yml").write_text(
        "_subdirectory: template\nproject_name:\n  type: str\n  default: Tiny\n"
    )
    (folder / "template" / "README.md.jinja").write_text("# {{ project_name }}\n")
    run(["git", "init", "--quiet"], folder, env)
    run(["git", "add", "--all"], folder, env)
    identity = ["-c", "user.name=Benchmark", "-c", "user.email=bench@example.com"]
    run(["git", *identity, "commit", "--quiet", "--message", "One file"], folder, env)
    return folder


# --- load -----------------------------------------------------------------------------------


def load_measurements(
    subjects: list[Subject], folder: Path, options: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Size by size, each subject seeded, served and loaded in turn, so that the machine's
    busy moments fall on all of them alike. One server runs at a time: each holds up to a
    database connection per thread, and two would exceed PostgreSQL's default 100."""
    by_subject: dict[str, dict[str, Any]] = {subject.label: {} for subject in subjects}
    with ExitStack() as stack:
        prepared = [
            (subject, *stack.enter_context(prepared_project(subject, number, folder, options)))
            for number, subject in enumerate(subjects)
        ]
        for size in options.sizes:
            for subject, number, project, app_env in prepared:
                log = folder / f"gunicorn-{number}-{size}.log"
                with gunicorn(subject.flavour, project, app_env, log) as port:
                    token = api_token(port, register=size == options.sizes[0])
                    seeding = ["uv", "run", "python", "bench_seed.py", USERNAME, str(size)]
                    seeded = json.loads(run(seeding, project, app_env).strip().splitlines()[-1])
                    print(f"   {subject.label}: {size} tasks seeded in {seeded['seconds']} s")
                    endpoints = measure_endpoints(port, token, options)
                for name, measured in endpoints.items():
                    print(f"   {size:>7} {name:<20} {subject.label:<18} {measured}")
                by_subject[subject.label][str(size)] = {
                    "seed_s": seeded["seconds"],
                    "endpoints": endpoints,
                }
    return by_subject


def measure_endpoints(port: int, token: str, options: argparse.Namespace) -> dict[str, Any]:
    """Each endpoint's statements and load, once the server is in its steady state: every
    endpoint is first loaded as it will be measured, for a second or two, so that the threads
    the load wakes have opened their database connections before any endpoint is measured,
    and the first one measured does not pay for the server's start."""
    endpoints: dict[str, Any] = {}
    warm_up = argparse.Namespace(**{**vars(options), "duration": warm_up_seconds(options)})
    for name, path in ENDPOINTS.items():
        headers = {"Authorization": f"Bearer {token}"} if name in AUTHENTICATED else {}
        status, body, _ = request(port, "GET", path, headers=headers)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body!r}")
        wrk(port, path, headers, warm_up)
    for name, path in ENDPOINTS.items():
        headers = {"Authorization": f"Bearer {token}"} if name in AUTHENTICATED else {}
        queries = count_queries(port, path, headers)
        load = wrk(port, path, headers, options)
        endpoints[name] = Measurement(
            requests_per_second=load.requests_per_second,
            p50_ms=load.p50_ms,
            p99_ms=load.p99_ms,
            failed=load.failed,
            queries=queries,
        ).as_dict()
    return endpoints


@contextmanager
def prepared_project(
    subject: Subject, number: int, folder: Path, options: argparse.Namespace
) -> Iterator[tuple[int, Path, dict[str, str]]]:
    """The subject rendered with PostgreSQL, installed and migrated: its number, its folder
    and its environment. Its database is dropped afterwards."""
    database = f"bench_{subject.flavour}_{number}"
    psql("-c", f"DROP DATABASE IF EXISTS {database}")
    psql("-c", f"CREATE DATABASE {database}")
    env = tool_env()
    project = folder / f"served-{number}"
    render = copier_copy(
        subject.flavour, project, env, subject.ref, database="postgresql", init_git="false"
    )
    run(render, folder, env)
    # The benchmark's own files (baseline view, query counter, seeding), not the template's.
    for source in [BENCH / "project_files" / "bench_rows.py", *PROJECT_FILES[subject.flavour]]:
        shutil.copy(source, project)
    app_env = production_env(subject.flavour, f"{POSTGRES}/{database}", options.workers)
    try:
        run(["make", "install"], project, app_env)
        run(["make", "migrate"], project, app_env)
        if subject.flavour == "django":
            collect = ["uv", "run", "python", "manage.py", "collectstatic", "--noinput"]
            run(collect, project, app_env)
        yield number, project, app_env
    finally:
        psql("-c", f"DROP DATABASE IF EXISTS {database}")


def production_env(flavour: str, database_url: str, workers: int) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, a real secret, no TLS in between."""
    env = tool_env(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        WEB_CONCURRENCY=str(workers),
        SECURE_SSL_REDIRECT="false",  # plain http on loopback: no redirect to https
    )
    if flavour == "django":
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    return env


def psql(*args: str) -> None:
    run(["psql", POSTGRES + "/postgres", "-v", "ON_ERROR_STOP=1", "-q", *args], BENCH, os.environ)


@contextmanager
def gunicorn(flavour: str, project: Path, env: Mapping[str, str], log: Path) -> Iterator[int]:
    port = free_port()
    app = "config.wsgi:application" if flavour == "django" else "bench_app:create()"
    command = ["uv", "run", "gunicorn", "--config", "gunicorn.conf.py", app]
    server_env = {**env, "GUNICORN_BIND": f"{HOST}:{port}"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=server_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for(port, process, log)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if request(port, "GET", "/api/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def request(
    port: int, method: str, path: str, body: Any = None, headers: Mapping[str, str] | None = None
) -> tuple[int, Any, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        sent = (
            {"Content-Type": "application/json", **(headers or {})}
            if payload
            else dict(headers or {})
        )
        connection.request(method, path, body=payload, headers=sent)
        answer = connection.getresponse()
        data = answer.read()
        parsed = (
            json.loads(data) if answer.headers.get_content_type() == "application/json" else data
        )
        return answer.status, parsed, answer.headers
    finally:
        connection.close()


def api_token(port: int, *, register: bool) -> str:
    """A new API token of the benchmark's user, who is signed up first if `register`."""
    account = {"username": USERNAME, "email": f"{USERNAME}@example.com", "password": PASSWORD}
    if register:
        status, body, _ = request(port, "POST", "/api/auth/register", account)
        if status != 201:
            raise SystemExit(f"registering failed: {status} {body}")
    status, body, _ = request(
        port, "POST", "/api/auth/token", {"username": USERNAME, "password": PASSWORD}
    )
    if status != 200:
        raise SystemExit(f"no token: {status} {body}")
    return str(body["token"])


def count_queries(port: int, path: str, headers: Mapping[str, str]) -> int:
    """The SQL statements of one request in the steady state: the fewest of three. A token's
    last use is written once a minute, with statements more, by whichever request comes first
    after the minute, and that may be any of them; a change to the request itself shows in all
    three."""
    counts = []
    for _ in range(3):
        status, body, answer = request(
            port, "GET", path, headers={**headers, "X-Count-Queries": "1"}
        )
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body!r}")
        counts.append(int(answer["X-SQL-Queries"]))
    return min(counts)


def warm_up_seconds(options: argparse.Namespace) -> int:
    return max(1, options.duration // 2)


def wrk(port: int, path: str, headers: Mapping[str, str], options: argparse.Namespace) -> Any:
    command = [
        "wrk",
        "--latency",
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{options.duration}s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    return parse(run(command, BENCH, os.environ))


if __name__ == "__main__":
    raise SystemExit(main())
