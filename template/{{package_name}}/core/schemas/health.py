"""The body of `GET /api/health`."""

from pydantic import BaseModel


class HealthOut(BaseModel):
    status: str
    database: str
