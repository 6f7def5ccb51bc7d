"""Fixtures of the API tests: a CSRF token for the session-authenticated browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory


@pytest.fixture
def csrf_token(browser: Client) -> str:
    """A CSRF token for `browser`: its cookie is set, send the value in `X-CSRFToken`."""
    request = RequestFactory().get("/")
    token = get_token(request)
    browser.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return token
