"""Replace one user's tasks by `count` generated ones, inserted in bulk through the ORM.

Run in the rendered project: `uv run python bench_seed.py <username> <count>`; prints
`{"seconds": ...}` (the insert alone) as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from bench_rows import rows  # noqa: E402
from bench_tracker.tasks.models import Task  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402  (after django.setup())
from django.db import connection, transaction  # noqa: E402

BATCH = 5_000


def main(username: str, count: int) -> None:
    user = get_user_model().objects.get(username=username)
    table = Task._meta.db_table
    with connection.cursor() as cursor:  # emptying is not what is measured: plain SQL
        cursor.execute(f"DELETE FROM {table} WHERE owner_id = %s", [user.pk])
    tasks = [Task(owner=user, **row) for row in rows(count)]
    started = time.perf_counter()
    with transaction.atomic():
        Task.objects.bulk_create(tasks, batch_size=BATCH)
    seconds = time.perf_counter() - started
    # What autovacuum does to a table soon after a big insert: statistics for the planner and
    # the visibility map that lets a count read the index alone.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
    print(json.dumps({"seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
