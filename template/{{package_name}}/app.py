"""The application factory: `flask --app <package>.app run` finds and calls `create_app`.

Settings come from the environment (config.py), then `config` overrides them (tests pass e.g.
`{"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}`). The extensions, blueprints, API,
commands, security headers and error handlers are registered here, each by its own module.
"""

from __future__ import annotations

import logging.config
from collections.abc import Mapping
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask_openapi3.models.info import Info
from flask_openapi3.openapi import OpenAPI
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from . import api, cli, extensions, security
from .api.errors import on_validation_error
from .auth import services as auth_services
from .auth import views as auth_views
from .config import PROJECT_NAME, from_environment
from .core.logs import logging_config
from .core.schemas.errors import ErrorEnvelope
from .core.secret_key import problem_with_secret_key
from .extensions import login_manager
from .metrics import metrics
from .observability import observability, start_tracing
from .pages import views as pages_views

API_DESCRIPTION = "The JSON API of the project. Errors share one envelope: see ErrorEnvelope."


class UnsafeConfigurationError(RuntimeError):
    """The settings would run production unsafely; the message names the setting."""


def create_app(config: Mapping[str, Any] | None = None) -> OpenAPI:
    overrides = dict(config or {})
    app = OpenAPI(
        __name__,
        info=Info(title=PROJECT_NAME, version="1.0.0", description=API_DESCRIPTION),
        doc_ui=False,  # the API's own blueprint serves the document and the docs page
        validation_error_callback=on_validation_error,
        validation_error_model=ErrorEnvelope,
    )
    app.config.from_mapping(from_environment(testing=bool(overrides.get("TESTING"))))
    app.config.from_mapping(overrides)
    # Production refuses to start with a key anyone could know (docs/adr/0011): the web
    # process and the worker (worker.py builds this app) stop here with one line.
    if not app.debug and not app.testing:
        problem = problem_with_secret_key(app.config["SECRET_KEY"])
        if problem:
            raise UnsafeConfigurationError(problem)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.sort_keys = False  # answer fields in the schemas' order (the API contract)
    logging.getLogger(__package__).setLevel(app.config["LOG_LEVEL"])
    if not app.testing:  # under pytest, the log records belong to pytest's capture
        # JSON lines in production, readable text with DEBUG on: core/logs.py.
        logging.config.dictConfig(
            logging_config(json_lines=not app.debug, level=app.config["LOG_LEVEL"])
        )

    # Static files are answered by WhiteNoise before Flask sees the request, with caching
    # headers (docs/adr/0005); with DEBUG on it looks at the files again on every request.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app, root=app.static_folder, prefix=app.static_url_path, autorefresh=app.debug
    )

    proxies = app.config["TRUSTED_PROXY_HOPS"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    # First: each request's id, on its log lines and its response (docs/adr/0016).
    observability.init_app(app)
    extensions.init_app(app)
    # Every request counted and timed, and /metrics (metrics.py, docs/adr/0015).
    metrics.init_app(app)
    login_manager.user_loader(auth_services.load_user)
    # `login_required` sends a visitor to the log-in page, with the page to come back to.
    login_manager.unauthorized_handler(auth_views.send_to_log_in)

    app.register_blueprint(auth_views.bp)
    app.register_blueprint(pages_views.bp)
    api.init_app(app)
    cli.init_app(app)
    security.init_app(app)
    # Traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set: of the app as built (docs/adr/0016).
    start_tracing(app)
    return app
