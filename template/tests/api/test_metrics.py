"""`/metrics`: the Prometheus text format, counted by route pattern, for allowed addresses only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client.parser import text_string_to_metric_families

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..contract import ApiClient

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: ApiClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_counted(samples: Samples, method: str, route: str, status: int) -> float:
    labels = frozenset({"method": method, "route": route, "status": str(status)}.items())
    return samples.get(("http_requests_total", labels), 0.0)


def test_requests_are_counted_and_timed_under_their_route_pattern(
    api: ApiClient, anonymous_api: ApiClient
) -> None:
    task_id = api.post("/api/tasks", {"title": "Counted"}).json()["id"]
    before = scrape(anonymous_api)

    api.get(f"/api/tasks/{task_id}")
    api.get(f"/api/tasks/{task_id}")
    api.get("/api/tasks/999999")

    after = scrape(anonymous_api)
    route = "/api/tasks/{task_id}"
    for status, count in ((200, 2), (404, 1)):
        gained = requests_counted(after, "GET", route, status) - requests_counted(
            before, "GET", route, status
        )
        assert gained == count
    timed = frozenset({"method": "GET", "route": route}.items())
    assert after[("http_request_duration_seconds_count", timed)] == (
        before.get(("http_request_duration_seconds_count", timed), 0.0) + 3
    )
    # The raw path is never a label: one series per pattern, whatever the id.
    assert not any(f"/api/tasks/{task_id}" in dict(labels).get("route", "") for _, labels in after)


def test_a_path_that_matches_no_route_is_counted_under_one_label(
    anonymous_api: ApiClient,
) -> None:
    before = scrape(anonymous_api)

    anonymous_api.get("/api/no-such-thing")
    anonymous_api.get("/api/nor-this/42")

    after = scrape(anonymous_api)
    gained = requests_counted(after, "GET", "<unmatched>", 404) - requests_counted(
        before, "GET", "<unmatched>", 404
    )
    assert gained == 2


def test_metrics_is_a_404_to_an_address_that_is_not_allowed(
    anonymous_api_at: Callable[[str], ApiClient],
) -> None:
    response = anonymous_api_at("203.0.113.9").get("/metrics")

    assert response.status_code == 404
    assert anonymous_api_at("203.0.113.9").get("/no-such-page").status_code == 404
    assert b"http_requests_total" not in response.content


def test_the_setting_opens_metrics_to_other_addresses(
    anonymous_api_at: Callable[[str], ApiClient], change_settings: Callable[..., None]
) -> None:
    change_settings(METRICS_ALLOWED_ADDRESSES="127.0.0.1, 10.0.0.0/8")

    assert anonymous_api_at("10.1.2.3").get("/metrics").status_code == 200
    assert anonymous_api_at("11.1.2.3").get("/metrics").status_code == 404
