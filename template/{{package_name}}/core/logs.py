"""Logging: one JSON object per line in production, readable text in development.

A log collector reads JSON lines without guessing where a message or a traceback ends; a person
at a terminal reads text. `logging_config` is the one `dictConfig` the app applies when it
starts (docs/adr/0005), and gunicorn's own loggers (start-up, workers,
one line per request) hand their records to it (see gunicorn.conf.py), so every line a process
writes has the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from .request_id import RequestIdFilter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Each JSON line: {"time", "level", "logger", "message", "pid"} ("pid": the worker process that
# wrote it, one of several under gunicorn), plus "exception" (the traceback) when there is one,
# "request_id" during a request or a job (core/request_id.py), and any `extra={...}` the call
# passed.
JSON_FIELDS = ("levelname", "name", "message", "process")
JSON_FIELD_NAMES = {
    "levelname": "level",
    "name": "logger",
    "process": "pid",
    "exc_info": "exception",
}


def json_formatter() -> logging.Formatter:
    """One JSON object per record, on one line: tracebacks and newlines are escaped inside it."""
    return JsonFormatter(JSON_FIELDS, rename_fields=JSON_FIELD_NAMES, timestamp="time")


def text_formatter() -> logging.Formatter:
    return logging.Formatter(TEXT_FORMAT)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` dictionary: every record reaches the root logger's one
    handler, on standard output, formatted as JSON lines or as text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": json_formatter},
            "text": {"()": text_formatter},
        },
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json" if json_lines else "text",
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
    }
