"""Prometheus metrics of the app: every request counted and timed, and `/metrics` to scrape.

A Flask extension (`metrics.init_app(app)`): a `before_request` hook notes the start, an
`after_request` hook counts the answer under the URL rule that matched (`/api/tasks/{id}`, never
the raw path), and `/metrics` answers the Prometheus text format to the client addresses of
METRICS_ALLOWED_ADDRESSES, and a 404 to anyone else, as for a path that does not exist. What is
measured, and how the counts of every gunicorn worker add up, is core/metrics.py.
"""

from __future__ import annotations

import time

from flask import Flask, Response, abort, current_app, g, request

from .core import metrics as core_metrics


class Metrics:
    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("METRICS_ALLOWED_ADDRESSES", core_metrics.DEFAULT_ALLOWED_ADDRESSES)
        # A setting that is no list of addresses stops the app here, at its start.
        core_metrics.allowed_networks(app.config["METRICS_ALLOWED_ADDRESSES"])
        app.extensions["metrics"] = self
        app.before_request(_start_timer)
        app.after_request(_count_response)
        app.add_url_rule("/metrics", "metrics", scrape)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _count_response(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:  # None: a before_request hook ahead of ours answered
        rule = request.url_rule.rule if request.url_rule is not None else None
        core_metrics.record_request(
            request.method,
            core_metrics.route_label(rule),
            response.status_code,
            time.perf_counter() - started,
        )
    return response


def scrape() -> Response:
    # ProxyFix has already made remote_addr the client's (TRUSTED_PROXY_HOPS, app.py).
    allowed = core_metrics.allowed_networks(current_app.config["METRICS_ALLOWED_ADDRESSES"])
    if not core_metrics.is_allowed(request.remote_addr, allowed):
        abort(404)
    body, content_type = core_metrics.exposition()
    return Response(body, content_type=content_type)


metrics = Metrics()
