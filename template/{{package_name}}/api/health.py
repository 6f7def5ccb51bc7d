"""`GET /api/health`: is the service up, and can it reach its database?"""

from __future__ import annotations

import logging

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..auth.models import User
from ..core.schemas.health import HealthOut
from ..extensions import db
from .errors import JsonAnswer

logger = logging.getLogger(__name__)

bp = APIBlueprint("api_health", __name__, url_prefix="/api", abp_tags=[Tag(name="health")])


@bp.get(
    "/health",
    responses={200: HealthOut, 503: HealthOut},
    summary="Is the service up, and can it reach its database?",
)
def health() -> JsonAnswer:
    try:
        # A real table, not `SELECT 1`: a database that answers but has lost the project's
        # tables (a SQLite file moved away, a wrong DATABASE_URL) is not healthy.
        db.session.execute(select(User.id).limit(1))
    except SQLAlchemyError:
        db.session.rollback()
        logger.warning("Health check: the database is unreachable", exc_info=True)
        return HealthOut(status="error", database="unreachable").model_dump(), 503
    return HealthOut(status="ok", database="ok").model_dump(), 200
