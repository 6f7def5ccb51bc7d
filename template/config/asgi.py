"""ASGI entry point for asynchronous servers (e.g. `uvicorn config.asgi:application`)."""

import os

import django
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

# Tracing starts (when OTEL_EXPORTER_OTLP_ENDPOINT is set) after the settings are read and
# before the handler loads the middleware, among which it puts its own (docs/adr/0016).
django.setup(set_prefix=False)
from config.observability import start_tracing  # noqa: E402  (needs the settings)

start_tracing()
application = get_asgi_application()
