"""Every error under /api/ leaves in one envelope: `{"error": {"code", "message", ...}}`.

Domain errors carry their own code and status (core.errors); request validation, routing
errors (no such path, wrong method), too large bodies, an unavailable database and unexpected
failures are translated here. Outside /api/ Flask's own error pages are left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    ServiceUnavailable,
    default_exceptions,
)

from ..core.errors import DomainError, error_envelope, fields_from_pydantic

#: What a JSON view returns: the body (Flask serialises a dict) and the status.
JsonAnswer = tuple[dict[str, Any], int]

API_PREFIX = "/api/"
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request cannot be read."),
    401: ("not_authenticated", "Authentication required."),
    403: ("permission_denied", "Permission denied."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    409: ("conflict", "Conflict."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Unsupported media type."),
    429: ("too_many_requests", "Too many requests."),
    500: ("internal_error", "Something went wrong on our side."),
}
DATABASE_UNAVAILABLE = ("database_unavailable", "The database is unavailable; try again shortly.")
# The messages of a missing and of an unreadable JSON body (both a 400 in the API contract).
NO_BODY = "A JSON body is required."
BAD_JSON = "Cannot parse request body"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def envelope_response(status: int, body: Mapping[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


def on_validation_error(exc: ValidationError) -> Response:
    """flask-openapi3's `validation_error_callback`: a bad body, query or form."""
    if any(not error["loc"] for error in exc.errors()):
        # The body as a whole was refused: it may not be JSON at all, which is a 400.
        unreadable = _unreadable_body()
        if unreadable is not None:
            return envelope_response(400, error_envelope("bad_request", unreadable))
    fields = fields_from_pydantic(exc)
    message = "Some fields are not valid." if fields else "The request is not valid."
    return envelope_response(422, error_envelope("validation_error", message, fields=fields))


def _unreadable_body() -> str | None:
    data = request.get_data(cache=True)
    if not data.strip():
        return NO_BODY
    try:
        json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to read
        return BAD_JSON
    return None


def on_domain_error(exc: DomainError) -> Response | HTTPException:
    if is_api_request():
        return envelope_response(exc.status_code, exc.to_envelope())
    # A page that lets a domain error escape gets the plain error page of its status.
    page_error = default_exceptions.get(exc.status_code, InternalServerError)
    return page_error(exc.message)


def on_http_error(exc: HTTPException) -> Response | HTTPException:
    if exc.code is None or not is_api_request():
        return exc
    # A 500 arrives here after Flask has logged the exception (Flask.handle_exception); its
    # details stay in the log, the client gets the generic message.
    code, message = HTTP_ERRORS.get(exc.code, ("error", exc.description or "Error."))
    response = envelope_response(exc.code, error_envelope(code, message))
    # Keep what the status relies on, e.g. the Allow header of a 405.
    headers = dict(exc.get_headers())
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in headers:
            response.headers[name] = headers[name]
    return response


def on_database_unavailable(exc: OperationalError) -> Response | HTTPException:
    # The database cannot be reached, or did not answer in time (DATABASE_CONNECT_TIMEOUT,
    # DATABASE_STATEMENT_TIMEOUT): a fast 503 the client may retry, not a hung worker.
    current_app.logger.error("The database is unavailable", exc_info=exc)
    if is_api_request():
        return envelope_response(503, error_envelope(*DATABASE_UNAVAILABLE))
    return ServiceUnavailable(DATABASE_UNAVAILABLE[1])


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, on_domain_error)
    app.register_error_handler(OperationalError, on_database_unavailable)
    app.register_error_handler(HTTPException, on_http_error)
