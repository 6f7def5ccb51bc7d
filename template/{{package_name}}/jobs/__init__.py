"""Background jobs: long work (a CSV import, training the model) run by a Celery worker.

`domain`, `schemas`, `runner` and `celery_tasks` hold a job's rules and never touch the ORM;
`models`, `store`, `services` and `selectors` are the database's side: the table, and how the
runner reads and writes it.
"""
