"""`GET /api/tasks/due-soon`: the open tasks due within a few days, soonest first."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from sqlalchemy import select

from ..auth.api_auth import current_api_user, require_api_user
from ..auth.models import User
from ..core.schemas.due_soon import DueSoon, DueSoonQuery
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import TaskOut
from ..extensions import db
from ..tasks.models import Task
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_due_soon",
    __name__,
    url_prefix="/api/tasks",
    abp_tags=[Tag(name="tasks")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope, 422: ErrorEnvelope},
)
bp.before_request(require_api_user)


def tasks_due_soon(*, owner: User, days: int) -> Sequence[Task]:
    today = datetime.date.today()
    return db.session.scalars(
        select(Task)
        .where(
            Task.owner_id == owner.id,
            Task.done.is_(False),
            Task.due_date.between(today, today + datetime.timedelta(days=days)),
        )
        .order_by(Task.due_date, Task.id)
    ).all()


@bp.get("/due-soon", responses={200: DueSoon}, summary="Open tasks due within a few days")
def due_soon(query: DueSoonQuery) -> JsonAnswer:
    tasks = tasks_due_soon(owner=current_api_user(), days=query.days)
    items = [TaskOut.model_validate(task) for task in tasks]
    return DueSoon(days=query.days, items=items).model_dump(mode="json"), 200
