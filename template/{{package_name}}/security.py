"""Security headers on every response: one small `after_request` hook.

The pages load only the project's own scripts and styles, so the Content-Security-Policy is
strict. The API's Swagger UI page (flask-openapi3-swagger's bundle) starts itself with an
inline script and style, so that page alone gets a policy that allows inline code.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
#: The page that runs the Swagger UI bundle (its static files need no relaxed policy).
DOCS_PATHS = frozenset({"/api/docs"})
HSTS_ONE_YEAR = "max-age=31536000; includeSubDomains"


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    policy = DOCS_CONTENT_SECURITY_POLICY if request.path in DOCS_PATHS else CONTENT_SECURITY_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    # Browsers ignore HSTS over plain HTTP; in development it would pin localhost to HTTPS.
    if request.is_secure and not current_app.debug:
        headers.setdefault("Strict-Transport-Security", HSTS_ONE_YEAR)
    return response


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)
