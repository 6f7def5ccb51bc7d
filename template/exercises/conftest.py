"""The exercises' tests may use the project's own fixtures (`api`, `other_api`,
`anonymous_api`, ...): an app on a database built by the migrations, and clients of its API."""

pytest_plugins = ["tests.conftest"]
