"""The JSON API under /api/: flask-openapi3 blueprints validated by the core pydantic schemas.

The OpenAPI document is served at /api/openapi.json and the Swagger UI that
flask-openapi3-swagger bundles (no CDN) at /api/docs. flask-openapi3's own documentation pages
(`/api/`, `/api/swagger`) are switched off (`doc_ui=False`): the contract has no other pages
under /api/.

Each part of the API is a module of this package with its blueprint `bp`, and `init_app`
registers every part in PARTS whose module is there, so adding or deleting an optional part is
adding or deleting its module: `jobs` (background jobs, which also answers the CSV import, with
or without `?async=1`, where `task_import` answers it otherwise) and `ml` (the category model).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from flask import Blueprint, Request, render_template_string, request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.openapi import OpenAPI
from flask_openapi3_swagger import templates as swagger  # type: ignore[import-untyped]
from werkzeug.exceptions import BadRequest

from ..extensions import csrf
from . import errors

#: The parts of the API, by module, in the order of the OpenAPI document.
PARTS = ("health", "auth", "tasks", "task_import", "jobs", "ml")
# The Swagger UI page loads its script and styles from `swagger/...` relative to /api/docs.
SWAGGER_ASSETS = Path(swagger.__file__).parent / "swagger"
SECURITY_SCHEMES: dict[str, Any] = {
    "TokenAuth": {"type": "http", "scheme": "bearer"},
    "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
}


class JsonBodyRequest(Request):
    """Reads a request body as JSON whatever its Content-Type.

    A body that is not JSON then fails validation, and the API answers it with the 400 that the
    API contract gives a body that is not valid JSON.
    """

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        try:
            return super().get_json(force=True, silent=silent, cache=cache)
        except RecursionError:
            # Python's json gives up on deeply nested arrays or objects with a RecursionError,
            # not the ValueError of other unreadable JSON: answer it the same way (400).
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("The JSON is nested too deeply."))


def refuse_multipart_without_boundary() -> None:
    """A multipart body without its boundary cannot be split into parts, and werkzeug would
    read it as an empty form (a missing file, 422). It is an unreadable body: 400, as the API
    contract answers broken JSON."""
    if (
        errors.is_api_request()
        and request.mimetype == "multipart/form-data"
        and not request.mimetype_params.get("boundary")
    ):
        raise BadRequest("The multipart body has no boundary, so its parts cannot be read.")


def blueprints() -> Iterator[APIBlueprint]:
    """The blueprint of every part in PARTS that this project has."""
    for name in PARTS:
        if find_spec(f"{__name__}.{name}") is not None:
            yield importlib.import_module(f"{__name__}.{name}").bp


def init_app(app: OpenAPI) -> None:
    app.request_class = JsonBodyRequest
    app.before_request(refuse_multipart_without_boundary)
    app.security_schemes = SECURITY_SCHEMES
    for blueprint in blueprints():
        # The API checks CSRF itself, and only for session-authenticated requests.
        csrf.exempt(blueprint)
        app.register_api(blueprint)
    errors.init_app(app)
    app.register_blueprint(_documentation(app))


def _documentation(app: OpenAPI) -> Blueprint:
    """/api/openapi.json, /api/docs and the Swagger UI's files under /api/swagger/."""
    docs = Blueprint(
        "api_docs",
        __name__,
        url_prefix="/api",
        static_folder=SWAGGER_ASSETS,
        static_url_path="/swagger",
    )

    def openapi_document() -> dict[str, Any]:
        # Built on the first request rather than with the app: every test makes an app.
        document = app.api_doc
        _drop_generic_validation_answers(document)
        return document

    def swagger_ui() -> str:
        return render_template_string(
            swagger.swagger_html_string,
            doc_url="openapi.json",
            swagger_config=None,
            oauth_config=None,
        )

    docs.add_url_rule("/openapi.json", "document", openapi_document)
    docs.add_url_rule("/docs", "ui", swagger_ui)
    return docs


def _drop_generic_validation_answers(document: dict[str, Any]) -> None:
    """flask-openapi3 documents a 422 of its own shape (a list) on every operation that
    declares none; those operations never answer 422, and the others answer the envelope."""
    for path_item in document["paths"].values():
        for operation in path_item.values():
            responses = operation.get("responses", {})
            schema = responses.get("422", {}).get("content", {}).get("application/json", {})
            if schema.get("schema", {}).get("type") == "array":
                del responses["422"]
