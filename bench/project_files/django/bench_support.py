"""The baseline view and the SQL query counter, added to the project only by the benchmark."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

COUNT_HEADER = "X-Count-Queries"


def hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: what every request pays before the app's own work."""
    return HttpResponse(b"hello", content_type="text/plain")


def count_queries(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """With the request header X-Count-Queries, answer X-SQL-Queries: the statements run.

    Only when asked, so the load runs (which do not ask) pay nothing for it.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if COUNT_HEADER not in request.headers:
            return get_response(request)
        statements = 0

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-SQL-Queries"] = str(statements)
        return response

    return middleware
