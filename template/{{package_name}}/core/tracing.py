"""OpenTelemetry tracing: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/adr/0016).

Written once; each framework's glue starts the instrumentations its TRACING_INSTRUMENTATIONS
setting names (the web framework's, the database's, and any the settings add). Off, nothing
of OpenTelemetry's SDK is imported: the only cost is reading one environment variable. On, the
spans go in batches to the OTLP/HTTP collector the standard OTEL_* variables name
(OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME, ...), which the
SDK reads itself. Trace context crosses processes in the W3C `traceparent` header: from a
proxy into a request, and from a request into the messages it sends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
SERVICE_NAME_VARIABLE = "OTEL_SERVICE_NAME"

#: Starts one instrumentation, reporting to the provider given, and returns what stops it. The
#: setting TRACING_INSTRUMENTATIONS lists those of the project by their import paths.
Instrumentation = Callable[["TracerProvider"], Callable[[], None]]


def is_configured(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether tracing is on: a collector's address is set."""
    return bool(environ.get(ENDPOINT_VARIABLE, "").strip())


def tracer_provider(service_name: str, exporter: SpanExporter | None = None) -> TracerProvider:
    """The provider the instrumentations report to.

    Without `exporter`, spans are batched to the OTLP/HTTP collector of the environment;
    with one (the tests' in-memory exporter), each span is handed to it as it ends.
    """
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    name = os.environ.get(SERVICE_NAME_VARIABLE) or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The batch's thread starts again in each forked worker (the SDK sees to it).
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


@dataclass
class Tracing:
    """Instrumentations that are on, and the provider they report to."""

    provider: TracerProvider
    stops: list[Callable[[], None]] = field(default_factory=list)

    def stop(self) -> None:
        """Undo every instrumentation and send what is left (the tests start and stop it)."""
        while self.stops:
            self.stops.pop()()
        self.provider.shutdown()


def start(provider: TracerProvider, instrumentations: Iterable[Instrumentation]) -> Tracing:
    """Start each instrumentation, reporting to `provider`."""
    tracing = Tracing(provider)
    for instrumentation in instrumentations:
        tracing.stops.append(instrumentation(provider))
    return tracing


def set_global_provider(provider: TracerProvider) -> None:
    """Make `provider` the one `opentelemetry.trace.get_tracer` answers with, so that code of
    the project's own can open spans too (once a process: the tests leave it alone)."""
    from opentelemetry import trace

    trace.set_tracer_provider(provider)


def instrument(instrumentor: Any, provider: TracerProvider, **options: Any) -> Callable[[], None]:
    """Turn on one of OpenTelemetry's instrumentors (a `BaseInstrumentor`) with `options`, and
    return what turns it off."""
    instrumentor.instrument(tracer_provider=provider, **options)
    stop: Callable[[], None] = instrumentor.uninstrument
    return stop
