"""The project's app plus the benchmark's two additions: a bare baseline view and, when a
request asks with X-Count-Queries, the number of SQL statements it ran in X-SQL-Queries.

gunicorn serves it as `bench_app:create()`.
"""

from __future__ import annotations

from typing import Any

from bench_tracker.app import create_app
from bench_tracker.extensions import db
from flask import Flask, Response, g, has_app_context, request
from sqlalchemy import event

COUNT_HEADER = "X-Count-Queries"


def create() -> Flask:
    app = create_app()
    app.add_url_rule("/bench/hello", "bench_hello", hello)
    with app.app_context():
        engine = db.engine
    # Counted on the request's own context: gunicorn's threads serve requests side by side, and
    # one process-wide counter let a load run's last request reset a counted one half-way.

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        if has_app_context():
            g.sql_statements = g.get("sql_statements", 0) + 1

    @app.after_request
    def report(response: Response) -> Response:
        if COUNT_HEADER in request.headers:
            response.headers["X-SQL-Queries"] = str(g.get("sql_statements", 0))
        return response

    return app


def hello() -> Response:
    """The least a Flask view can do: what every request pays before the app's own work."""
    return Response(b"hello", content_type="text/plain")
