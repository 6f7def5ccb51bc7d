"""The OpenAPI document and the interactive docs, generated from the typed schemas."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest

if TYPE_CHECKING:
    from ..conftest import ApiClient

# Every path of the contract (DESIGN.md §3) and its methods; optional modules add their own
# paths under their own prefixes.
CONTRACT = {
    "/api/health": {"get"},
    "/api/auth/register": {"post"},
    "/api/auth/token": {"post"},
    "/api/auth/me": {"get"},
    "/api/tasks": {"get", "post"},
    "/api/tasks/stats": {"get"},
    "/api/tasks/export.csv": {"get"},
    "/api/tasks/import": {"post"},
    "/api/tasks/{task_id}": {"get", "patch", "delete"},
}
OPTIONAL_PREFIXES = ("/api/ml/", "/api/jobs/")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema itself, or the component its `$ref` points to."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rpartition("/")[2]]
    return schema


@pytest.fixture
def document(anonymous_api: ApiClient) -> dict[str, Any]:
    response = anonymous_api.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.get_json()
    return body


def test_the_document_is_openapi_3(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"]


def test_the_document_lists_exactly_the_contract_paths(document: dict[str, Any]) -> None:
    paths = {
        path: {method for method in operations if method in HTTP_METHODS}
        for path, operations in document["paths"].items()
        if not path.startswith(OPTIONAL_PREFIXES)
    }

    assert paths == CONTRACT


def test_no_path_ends_with_a_slash(document: dict[str, Any]) -> None:
    assert [path for path in document["paths"] if path.endswith("/")] == []


@pytest.mark.parametrize(
    "schema", ["TaskIn", "TaskPatch", "TaskOut", "TaskPage", "TaskStats", "ErrorEnvelope"]
)
def test_the_components_hold_the_schemas(document: dict[str, Any], schema: str) -> None:
    assert schema in document["components"]["schemas"]


def test_the_task_schema_has_every_field_of_a_task(document: dict[str, Any]) -> None:
    task = document["components"]["schemas"]["TaskOut"]

    assert set(task["properties"]) == {
        "id",
        "title",
        "description",
        "category",
        "priority",
        "done",
        "due_date",
        "created_at",
        "updated_at",
    }


def test_only_the_title_is_required_to_create_a_task(document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["TaskIn"]["required"] == ["title"]


def test_the_listing_documents_its_query_parameters(document: dict[str, Any]) -> None:
    parameters = document["paths"]["/api/tasks"]["get"]["parameters"]

    assert {parameter["name"] for parameter in parameters} == {
        "page",
        "size",
        "q",
        "category",
        "done",
        "ordering",
    }
    assert {parameter["in"] for parameter in parameters} == {"query"}


def test_the_import_takes_a_multipart_file(document: dict[str, Any]) -> None:
    body = document["paths"]["/api/tasks/import"]["post"]["requestBody"]

    schema = resolved(document, body["content"]["multipart/form-data"]["schema"])
    assert "file" in schema["properties"]


def test_the_export_is_documented_as_csv(document: dict[str, Any]) -> None:
    responses = document["paths"]["/api/tasks/export.csv"]["get"]["responses"]

    assert "text/csv" in responses["200"]["content"]


def test_the_interactive_docs_are_html(anonymous_api: ApiClient) -> None:
    response = anonymous_api.get("/api/docs")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    # The page may name the document relative to its own address.
    named = re.findall(r"[\"']([^\"']*openapi\.json)[\"']", response.get_data(as_text=True))
    assert named
    assert {urljoin("http://localhost/api/docs", url) for url in named} == {
        "http://localhost/api/openapi.json"
    }
