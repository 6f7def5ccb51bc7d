"""The request id: made for every request, or taken from a trusted proxy's `X-Request-ID`,
answered in that header and written on every JSON log line of the request."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import pytest

from ..log_lines import json_log_lines
from .helpers import error_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..contract import ApiClient

MADE_ID = re.compile(r"[0-9a-f]{32}")


def request_id_of(api: ApiClient, path: str, sent: str | None = None) -> str:
    headers = {} if sent is None else {"X-Request-ID": sent}
    response = api.request("GET", path, headers=headers)
    return response.headers["X-Request-ID"]


def test_each_request_gets_an_id_of_its_own(anonymous_api: ApiClient) -> None:
    first = request_id_of(anonymous_api, "/api/health")
    second = request_id_of(anonymous_api, "/api/health")

    assert MADE_ID.fullmatch(first)
    assert MADE_ID.fullmatch(second)
    assert first != second


def test_errors_and_pages_carry_the_id_too(anonymous_api: ApiClient) -> None:
    missing = anonymous_api.get("/api/no-such-thing")
    error_of(missing, 404)
    page = anonymous_api.get("/no-such-page")

    assert MADE_ID.fullmatch(missing.headers["X-Request-ID"])
    assert MADE_ID.fullmatch(page.headers["X-Request-ID"])


def test_the_id_a_trusted_proxy_sends_is_kept(
    anonymous_api: ApiClient, change_settings: Callable[..., None]
) -> None:
    change_settings(TRUSTED_PROXY_HOPS=1)

    assert request_id_of(anonymous_api, "/api/health", "lb-7f3a:01") == "lb-7f3a:01"


def test_a_client_cannot_choose_its_id_without_a_trusted_proxy(anonymous_api: ApiClient) -> None:
    answered = request_id_of(anonymous_api, "/api/health", "chosen-by-the-client")

    assert answered != "chosen-by-the-client"
    assert MADE_ID.fullmatch(answered)


@pytest.mark.parametrize("sent", ["", "has spaces", "<script>", "a;b", "x" * 129], ids=repr)
def test_a_malformed_id_is_replaced_even_from_a_trusted_proxy(
    anonymous_api: ApiClient, change_settings: Callable[..., None], sent: str
) -> None:
    change_settings(TRUSTED_PROXY_HOPS=1)

    assert MADE_ID.fullmatch(request_id_of(anonymous_api, "/api/health", sent))


def test_the_log_lines_of_a_request_carry_its_id(cut_off_api: ApiClient) -> None:
    with json_log_lines() as lines:
        response = cut_off_api.get("/api/health")  # logs that the database is unreachable

    assert response.status_code == 503
    (line,) = [line for line in lines() if "database is unreachable" in line["message"]]
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_a_log_line_outside_of_a_request_has_no_id() -> None:
    with json_log_lines() as lines:
        logging.getLogger("tests.request_id").warning("between requests")

    (line,) = [line for line in lines() if line["message"] == "between requests"]
    assert "request_id" not in line
