"""Background jobs: long work (a CSV import, training the model) run by a Celery worker.

`domain`, `schemas`, `runner` and `celery_tasks` are the same in both flavours; `models`,
`store`, `services` and `selectors` are the framework's side: the table, and how the runner
reads and writes it.
"""
