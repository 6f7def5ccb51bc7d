"""Values every template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def project(request: HttpRequest) -> dict[str, str]:
    """The project's name, for the layout's header and the page titles."""
    return {"project_name": settings.PROJECT_NAME}
