"""`GET /api/tasks/due-soon`: its query and its answer."""

from pydantic import BaseModel, Field

from .tasks import TaskOut

DUE_SOON_DAYS_DEFAULT = 7
DUE_SOON_DAYS_MAX = 30


class DueSoonQuery(BaseModel):
    days: int = Field(DUE_SOON_DAYS_DEFAULT, ge=1, le=DUE_SOON_DAYS_MAX)


class DueSoon(BaseModel):
    days: int
    items: list[TaskOut]
