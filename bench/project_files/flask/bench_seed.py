"""Replace one user's tasks by `count` generated ones, inserted in bulk through the ORM.

Run in the rendered project: `uv run python bench_seed.py <username> <count>`; prints
`{"seconds": ...}` (the insert alone) as JSON.
"""

from __future__ import annotations

import json
import sys
import time

from bench_rows import rows
from bench_tracker.app import create_app
from bench_tracker.auth.models import User
from bench_tracker.extensions import db
from bench_tracker.tasks.models import Task
from sqlalchemy import delete, insert, select, text


def main(username: str, count: int) -> None:
    app = create_app()
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        db.session.execute(delete(Task).where(Task.owner_id == user.id))
        db.session.commit()
        values = [{"owner_id": user.id, **row} for row in rows(count)]
        started = time.perf_counter()
        db.session.execute(insert(Task), values)  # the ORM's bulk INSERT (executemany)
        db.session.commit()
        seconds = time.perf_counter() - started
        # What autovacuum does to a table soon after a big insert: statistics for the planner
        # and the visibility map that lets a count read the index alone. VACUUM cannot run
        # inside a transaction.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM ANALYZE {Task.__tablename__}"))
    print(json.dumps({"seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
