"""One HTTP API contract for every framework flavour (DESIGN.md §3, §4).

For each flavour copier.yml offers, a fresh project is rendered (SQLite, no git), installed,
migrated and served by its real development server (`make run`) on a free port of 127.0.0.1.
The scenario of contract_scenario.py is replayed
against it: each step must answer what the contract says, and every flavour must give the same
recording (status codes, JSON shapes, error codes and the fields they name). Their OpenAPI
documents must list the contract's operations and agree on the paths, the methods, the field
names of parameters, request bodies and success responses, the documented statuses and the
security schemes, except for the differences listed, each with a reason, in
contract_allowlist.yaml.

It runs twice: for the core contract, and with the ML module in both flavours, whose chapters
call the ML endpoints before and after `make train` (run half-way, while the server runs); that
run also times the training and the prediction endpoint against the issue's targets.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import time
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract_scenario import PASSWORD, Client, run_scenario, shape
from servers import prepare_project, running_server
from support import REPO_ROOT, python_interpreter, question_values, run

FLAVOURS: list[str] = question_values("framework")
ALLOWLIST = Path(__file__).with_name("contract_allowlist.yaml")
PYTHON_VERSION = "3.12"

# Every operation of the contract (without the optional modules), path parameters written `{id}`.
CONTRACT_OPERATIONS = {
    "GET /api/health",
    "POST /api/auth/register",
    "POST /api/auth/token",
    "DELETE /api/auth/token",
    "GET /api/auth/tokens",
    "DELETE /api/auth/tokens/{id}",
    "GET /api/auth/me",
    "POST /api/auth/password-reset",
    "POST /api/auth/password-reset/confirm",
    "GET /api/tasks",
    "POST /api/tasks",
    "GET /api/tasks/stats",
    "GET /api/tasks/export.csv",
    "POST /api/tasks/import",
    "GET /api/tasks/{id}",
    "PATCH /api/tasks/{id}",
    "DELETE /api/tasks/{id}",
}
# What the ML module adds (include_ml).
ML_OPERATIONS = {
    "POST /api/ml/predict",
    "GET /api/ml/model",
    "GET /api/ml/figures/{id}.png",
}
# Prediction through the API, after the first call: the target for the median.
PREDICTION_MEDIAN_TARGET_MS = 20.0
PREDICTION_ROUNDS = 3
PREDICTION_SAMPLES = 30
TRAINING_TARGET_S = 30.0
ML_MEASUREMENTS = REPO_ROOT / "artifacts" / "ml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_PARAMETER = re.compile(r"\{[^}]*\}")
MAX_SCHEMA_DEPTH = 12


# --- OpenAPI documents, summarised ----------------------------------------------------------


def operation_name(method: str, path: str) -> str:
    return f"{method.upper()} {PATH_PARAMETER.sub('{id}', path)}"


def resolve(schema: Any, document: Mapping[str, Any]) -> Any:
    """Follow `$ref`s inside the document (`#/components/schemas/TaskOut`)."""
    seen = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return {}
        seen.add(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        schema = target
    return schema


def field_paths(schema: Any, document: Mapping[str, Any], depth: int = 0) -> set[str]:
    """Every field name a schema describes, nested ones dotted: `items[].title`, `counts{}`.

    `[]` marks a list's items, `{}` the values of a map; `anyOf`/`oneOf`/`allOf` give the fields
    of all their branches (so `X | None` is X's fields).
    """
    schema = resolve(schema, document)
    if not isinstance(schema, dict) or depth > MAX_SCHEMA_DEPTH:
        return set()
    paths: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            paths |= field_paths(branch, document, depth + 1)
    for name, sub in (schema.get("properties") or {}).items():
        paths.add(name)
        paths |= {f"{name}{inner}" for inner in _nested(sub, document, depth)}
    if "items" in schema:
        paths.add("[]")
        paths |= {f"[]{inner}" for inner in _nested(schema["items"], document, depth)}
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        paths.add("{}")
        paths |= {f"{{}}{inner}" for inner in _nested(extra, document, depth)}
    return paths


def _nested(schema: Any, document: Mapping[str, Any], depth: int) -> set[str]:
    """The fields under a property, each with its joining mark (`.x`, `[]`, `[].x`, `{}`)."""
    return {
        path if path.startswith(("[", "{")) else f".{path}"
        for path in field_paths(schema, document, depth + 1)
    }


def required_fields(schema: Any, document: Mapping[str, Any]) -> set[str]:
    """The top-level fields a schema requires (through `allOf` too)."""
    schema = resolve(schema, document)
    if not isinstance(schema, dict):
        return set()
    required = set(schema.get("required", []))
    for branch in schema.get("allOf", []):
        required |= required_fields(branch, document)
    return required


def operation_items(
    operation: Mapping[str, Any], path_item: Mapping[str, Any], document: Mapping[str, Any]
) -> set[str]:
    """What a client sees of one operation, one string per fact; compared between flavours.

    Parameters (`query page`, `path task_id`, `... required`), the request body's media types
    and field names (`body application/json title`, `... required`), each 2xx response's media
    types and field names (`201 application/json id`, `204 (no content)`), every documented
    status (`responds 404`) and the security schemes that may authenticate it (`security
    TokenAuth`).
    """
    items: set[str] = set()
    parameters = [*path_item.get("parameters", []), *operation.get("parameters", [])]
    for parameter in (resolve(parameter, document) for parameter in parameters):
        name = f"{parameter.get('in', '?')} {parameter.get('name', '?')}"
        items.add(name)
        if parameter.get("required"):
            items.add(f"{name} required")
    body = resolve(operation.get("requestBody"), document) or {}
    for media_type, content in (body.get("content") or {}).items():
        items.add(f"body {media_type}")
        schema = content.get("schema")
        items |= {f"body {media_type} {path}" for path in field_paths(schema, document)}
        items |= {
            f"body {media_type} {name} required" for name in required_fields(schema, document)
        }
    for status, response in (operation.get("responses") or {}).items():
        items.add(f"responds {status}")
        if not str(status).startswith("2"):
            continue
        response = resolve(response, document)
        content = response.get("content") or {}
        if not content:
            items.add(f"{status} (no content)")
        for media_type, media in content.items():
            items.add(f"{status} {media_type}")
            items |= {
                f"{status} {media_type} {path}"
                for path in field_paths(media.get("schema"), document)
            }
    security = operation.get("security", document.get("security", []))
    items |= {f"security {scheme}" for requirement in security for scheme in requirement}
    return items


def summarise(document: Mapping[str, Any]) -> dict[str, set[str]]:
    """`{"GET /api/tasks/{id}": {items...}}` for every operation of an OpenAPI document."""
    summary: dict[str, set[str]] = {}
    for path, path_item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method in path_item:
                name = operation_name(method, path)
                summary[name] = operation_items(path_item[method], path_item, document)
    return summary


def document_differences(
    first: Mapping[str, set[str]], second: Mapping[str, set[str]]
) -> dict[str, tuple[set[str], set[str]]]:
    """`{operation: (only in first, only in second)}`; the key `operations` for whole ones."""
    differences: dict[str, tuple[set[str], set[str]]] = {}
    only_first, only_second = set(first) - set(second), set(second) - set(first)
    if only_first or only_second:
        differences["operations"] = (only_first, only_second)
    for name in sorted(set(first) & set(second)):
        if first[name] != second[name]:
            differences[name] = (first[name] - second[name], second[name] - first[name])
    return differences


# --- the allow-list -------------------------------------------------------------------------


def load_allowlist() -> list[dict[str, Any]]:
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8")).get("differences") or []
    assert isinstance(entries, list), "`differences` must be a list"
    return entries


def unexplained(
    differences: Mapping[str, tuple[set[str], set[str]]],
    flavours: tuple[str, str],
    allowlist: Iterable[Mapping[str, Any]],
) -> list[str]:
    """The differences the allow-list does not explain, and its entries that explain nothing."""
    allowed: dict[tuple[str, str], set[str]] = {}
    for entry in allowlist:
        for flavour, listed in entry["only_in"].items():
            allowed.setdefault((entry["operation"], flavour), set()).update(listed)
    problems = []
    for operation, sides in differences.items():
        for flavour, only in zip(flavours, sides, strict=True):
            left = sorted(only - allowed.get((operation, flavour), set()))
            if left:
                problems.append(f"{operation}: only {flavour} documents {left}")
    for (operation, flavour), listed in sorted(allowed.items()):
        if flavour not in flavours:
            continue
        sides = differences.get(operation, (set(), set()))
        actual = sides[flavours.index(flavour)]
        stale = sorted(listed - actual)
        if stale:
            problems.append(
                f"{operation}: the allow-list says only {flavour} documents {stale}, "
                "but that is no longer so: remove it from contract_allowlist.yaml"
            )
    return problems


# --- recordings, compared -------------------------------------------------------------------


def recording_diff(
    recordings: Mapping[str, list[dict[str, Any]]], first: str, second: str
) -> list[str]:
    """A unified diff per step whose recording differs between two flavours."""
    by_step = [
        {entry["step"]: entry for entry in recordings[flavour]} for flavour in (first, second)
    ]
    steps = list(by_step[0]) + [step for step in by_step[1] if step not in by_step[0]]
    diffs = []
    for step in steps:
        a, b = (side.get(step) for side in by_step)
        if a == b:
            continue
        lines = difflib.unified_diff(
            _dump(a).splitlines(), _dump(b).splitlines(), first, second, lineterm="", n=2
        )
        diffs.append(f"step {step!r}:\n" + "\n".join(f"    {line}" for line in lines))
    return diffs


def _dump(entry: Any) -> str:
    return json.dumps(entry, indent=2, sort_keys=True) if entry is not None else "(no such step)"


# --- the ML module's model and speed ---------------------------------------------------------


class ModelTrainer:
    """`make train` in a project whose server is running: the scenario calls it half-way."""

    def __init__(self, project: Path, env: Mapping[str, str]) -> None:
        self.project = project
        self.env = dict(env)
        self.seconds = 0.0

    def train(self) -> None:
        started = time.monotonic()
        run(["make", "train"], cwd=self.project, env=self.env)
        self.seconds = time.monotonic() - started


def prediction_latency_ms(base_url: str) -> dict[str, Any]:
    """Medians of POST /api/ml/predict, as a script calls it (a token, a fresh connection per
    call), after one call that loads the model: one median per round of calls.

    The best round is what the server can do; the others show what the machine's other work
    (this suite runs in parallel) added.
    """
    client = Client(base_url)
    credentials = {"username": "latency", "password": PASSWORD}
    account = json.dumps({**credentials, "email": "latency@example.com"}).encode()
    json_type = {"Content-Type": "application/json"}
    answer = client.request("POST", "/api/auth/register", body=account, headers=json_type)
    assert answer.status == 201, answer.text()
    body = json.dumps(credentials).encode()
    answer = client.request("POST", "/api/auth/token", body=body, headers=json_type)
    assert answer.status == 200, answer.text()
    headers = {**json_type, "Authorization": f"Bearer {answer.json()['token']}"}
    prediction = json.dumps({"title": "Pay the electricity bill"}).encode()
    started = time.perf_counter()
    first = client.request("POST", "/api/ml/predict", body=prediction, headers=headers)
    first_ms = (time.perf_counter() - started) * 1000
    assert first.status == 200, first.text()
    medians = []
    for _ in range(PREDICTION_ROUNDS):
        samples = []
        for _ in range(PREDICTION_SAMPLES):
            started = time.perf_counter()
            answer = client.request("POST", "/api/ml/predict", body=prediction, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status == 200, answer.text()
        medians.append(round(statistics.median(samples), 2))
    return {"first_ms": round(first_ms, 1), "round_medians_ms": medians, "best": min(medians)}


# --- the test -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("include_ml", [False, True], ids=["core", "with-ml"])
def test_every_flavour_serves_the_one_contract(
    tmp_path: Path, template_repo: Path, tool_env: dict[str, str], include_ml: bool
) -> None:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    recordings: dict[str, list[dict[str, Any]]] = {}
    documents: dict[str, dict[str, Any]] = {}
    report: list[str] = []
    operations = CONTRACT_OPERATIONS | (ML_OPERATIONS if include_ml else set())

    for flavour in FLAVOURS:
        started = time.monotonic()
        project = prepare_project(
            template_repo,
            tmp_path / flavour,
            env,
            framework=flavour,
            database="sqlite",
            include_ml=include_ml,
        )
        installed = time.monotonic()
        trainer = ModelTrainer(project, env) if include_ml else None
        with running_server(project, env, tmp_path / f"{flavour}-server.log") as base_url:
            serving = time.monotonic()
            recorder = run_scenario(base_url, trainer.train if trainer else None)
            document = Client(base_url).request("GET", "/api/openapi.json")
            if trainer is not None:
                latency = prediction_latency_ms(base_url)
        print(
            f"{flavour}: rendered and installed in {installed - started:.1f} s, served in "
            f"{serving - installed:.1f} s, scenario of {len(recorder.recording)} steps and stop "
            f"in {time.monotonic() - serving:.1f} s"
        )
        if trainer is not None:
            measured = {"make_train_s": round(trainer.seconds, 1), "predict": latency}
            ML_MEASUREMENTS.mkdir(parents=True, exist_ok=True)
            (ML_MEASUREMENTS / f"{flavour}.json").write_text(json.dumps(measured, indent=2))
            print(f"{flavour}: {measured}")
            if trainer.seconds >= TRAINING_TARGET_S:
                report.append(f"{flavour}: `make train` took {trainer.seconds:.1f} s")
            if latency["best"] >= PREDICTION_MEDIAN_TARGET_MS:
                report.append(f"{flavour}: prediction latency medians {latency}")
        recordings[flavour] = recorder.recording
        report += [f"{flavour}: {problem}" for problem in recorder.problems]
        documents[flavour] = json.loads(document.body) if document.status == 200 else {}

    summaries = {flavour: summarise(document) for flavour, document in documents.items()}
    for flavour, summary in summaries.items():
        missing = sorted(operations - set(summary))
        extra = sorted(set(summary) - operations)
        if missing or extra:
            report.append(
                f"{flavour}: /api/openapi.json lacks {missing} and has {extra} beyond the contract"
            )
    allowlist = load_allowlist()
    for first, second in pairwise(FLAVOURS):
        for diff in recording_diff(recordings, first, second):
            report.append(f"{first} and {second} answer differently at {diff}")
        differences = document_differences(summaries[first], summaries[second])
        report += [
            f"OpenAPI: {problem}"
            for problem in unexplained(differences, (first, second), allowlist)
        ]

    if report:
        pytest.fail(
            f"{len(report)} breaches of the contract (flavours: {', '.join(FLAVOURS)}):\n\n"
            + "\n\n".join(report),
            pytrace=False,
        )


# --- quick checks of the machinery itself -----------------------------------------------------


def test_the_allowlist_gives_a_reason_for_each_difference() -> None:
    flavours = set(question_values("framework"))
    for entry in load_allowlist():
        assert set(entry) == {"operation", "only_in", "reason"}, entry
        assert entry["operation"] == "operations" or re.fullmatch(
            r"[A-Z]+ /api/\S*", entry["operation"]
        ), entry
        assert isinstance(entry["only_in"], dict), entry
        assert set(entry["only_in"]) <= flavours, entry
        assert all(isinstance(items, list) for items in entry["only_in"].values()), entry
        assert any(entry["only_in"].values()), entry
        assert isinstance(entry["reason"], str), entry
        assert len(entry["reason"].split()) >= 5, f"say why: {entry}"


def test_a_shape_keeps_keys_and_types_but_no_values() -> None:
    value = {
        "id": 7,
        "title": "Buy milk",
        "done": False,
        "rate": 0.5,
        "due_date": "2030-01-15",
        "created_at": "2026-11-25T00:27:17.913Z",
        "updated_at": "2026-11-25T01:27:17+01:00",
        "naive": "2026-11-25T00:27:17",
        "none": None,
        "items": [{"a": 1}, {"a": 2}, {"a": None}],
        "empty": [],
    }

    assert shape(value) == {
        "created_at": "str:datetime",
        "done": "bool",
        "due_date": "str:date",
        "empty": [],
        "id": "int",
        "items": [{"a": "int"}, {"a": "null"}],
        "naive": "str:datetime-without-offset",
        "none": "null",
        "rate": "float",
        "title": "str",
        "updated_at": "str:datetime",
    }


def test_an_operation_summary_names_parameters_bodies_and_nested_fields() -> None:
    document = {
        "paths": {
            "/api/tasks/{task_id}": {
                "patch": {
                    "parameters": [{"in": "path", "name": "task_id", "required": True}],
                    "security": [{"TokenAuth": []}],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/In"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Page"}
                                }
                            }
                        },
                        "204": {"description": "gone"},
                        "422": {"content": {"application/json": {"schema": {}}}},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "In": {"properties": {"title": {"type": "string"}}, "required": ["title"]},
                "Page": {
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/In"}},
                        "counts": {
                            "anyOf": [
                                {"type": "object", "additionalProperties": {"type": "integer"}},
                                {"type": "null"},
                            ]
                        },
                    }
                },
            }
        },
    }

    assert summarise(document) == {
        "PATCH /api/tasks/{id}": {
            "path task_id",
            "path task_id required",
            "security TokenAuth",
            "body application/json",
            "body application/json title",
            "body application/json title required",
            "responds 200",
            "responds 204",
            "responds 422",
            "200 application/json",
            "200 application/json items",
            "200 application/json items[]",
            "200 application/json items[].title",
            "200 application/json counts",
            "200 application/json counts{}",
            "204 (no content)",
        }
    }


def test_differences_outside_the_allowlist_are_reported_and_stale_entries_too() -> None:
    first = {"GET /api/a": {"query x", "query y"}, "GET /api/b": set()}
    second = {"GET /api/a": {"query x", "query z"}}
    allowlist = [
        {"operation": "GET /api/a", "only_in": {"flask": ["query z"]}, "reason": "..."},
        {"operation": "GET /api/a", "only_in": {"django": ["query w"]}, "reason": "..."},
    ]

    problems = unexplained(document_differences(first, second), ("django", "flask"), allowlist)

    assert problems == [
        "operations: only django documents ['GET /api/b']",
        "GET /api/a: only django documents ['query y']",
        "GET /api/a: the allow-list says only django documents ['query w'], but that is no "
        "longer so: remove it from contract_allowlist.yaml",
    ]
