"""The Celery worker's entry point: `celery --app <package>.worker worker` (`make worker`).

It builds the Flask app, whose `create_app` binds the project's Celery app to it, so the jobs
run with the settings, database and code of the web requests, each in an application context.
"""

from .app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
