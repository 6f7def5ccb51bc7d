"""The project's Celery app: `celery --app config worker` (what `make worker` runs) finds it here.

Its settings are the Django settings named CELERY_... (config/settings/base.py, from the
environment); the tasks are the `celery_tasks` modules of the installed apps.
"""

import os

from celery import Celery
from celery.signals import setup_logging, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")


@setup_logging.connect
def keep_the_projects_logging(**_: object) -> None:
    """With a receiver for this signal Celery configures no logging of its own: the worker
    writes the project's format (LOGGING: JSON lines unless DEBUG), as the web process does."""


@worker_init.connect
def start_tracing_the_jobs(**_: object) -> None:
    """The worker traces its jobs (and their SQL) when OTEL_EXPORTER_OTLP_ENDPOINT is set; the
    forked processes that run them inherit the instrumentation."""
    from config.observability import start_tracing

    start_tracing()
