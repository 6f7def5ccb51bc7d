"""The project's app plus the benchmark's two additions: a bare baseline view and, when a
request asks with X-Count-Queries, the number of SQL statements it ran in X-SQL-Queries.

gunicorn serves it as `bench_app:create()`.
"""

from __future__ import annotations

from typing import Any

from bench_tracker.app import create_app
from bench_tracker.extensions import db
from flask import Flask, Response, request
from sqlalchemy import event

COUNT_HEADER = "X-Count-Queries"


def create() -> Flask:
    app = create_app()
    app.add_url_rule("/bench/hello", "bench_hello", hello)
    with app.app_context():
        engine = db.engine
    statements = {"count": 0}  # gunicorn's sync workers serve one request at a time

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        statements["count"] += 1

    @app.before_request
    def reset() -> None:
        statements["count"] = 0

    @app.after_request
    def report(response: Response) -> Response:
        if COUNT_HEADER in request.headers:
            response.headers["X-SQL-Queries"] = str(statements["count"])
        return response

    return app


def hello() -> Response:
    """The least a Flask view can do: what every request pays before the app's own work."""
    return Response(b"hello", content_type="text/plain")
