"""The project's Celery app, bound to a Flask app as Flask's documentation shows.

`init_app` is called when `create_app` registers the jobs' API (api/jobs.py); the worker
finds the result in `<package>/worker.py`. Every task runs inside an application context of
that app, so it uses `db.session` as a request does.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from celery.signals import setup_logging
from flask import Flask


def init_app(app: Flask) -> Celery[Any]:
    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=[f"{__package__}.celery_tasks"])
    celery_app.config_from_object(app.config["CELERY"])
    # The jobs' tasks are `shared_task`s: they go through the default app, this one.
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@setup_logging.connect
def keep_the_projects_logging(**_: object) -> None:
    """With a receiver for this signal Celery configures no logging of its own: the worker
    writes the format `create_app` set up (JSON lines unless DEBUG), as the web process does."""
