"""`GET /api/tasks/due-soon`: the open tasks due within a few days, soonest first."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from ..accounts.api_auth import api_auth, current_api_user
from ..accounts.models import User
from ..core.schemas.due_soon import DueSoon, DueSoonQuery
from ..core.schemas.errors import ErrorEnvelope
from .models import Task

router = Router(tags=["tasks"], auth=api_auth)


def tasks_due_soon(*, owner: User, days: int) -> QuerySet[Task]:
    today = datetime.date.today()
    return Task.objects.filter(
        owner=owner, done=False, due_date__range=(today, today + datetime.timedelta(days=days))
    ).order_by("due_date", "id")


@router.get(
    "/due-soon",
    response={200: DueSoon, 401: ErrorEnvelope, 422: ErrorEnvelope},
    summary="Open tasks due within a few days",
)
def due_soon(request: HttpRequest, query: Query[DueSoonQuery]) -> dict[str, Any]:
    tasks = tasks_due_soon(owner=current_api_user(request), days=query.days)
    return {"days": query.days, "items": list(tasks)}
