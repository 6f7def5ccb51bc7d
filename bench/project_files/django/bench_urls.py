"""The project's URLs, plus the bare view the benchmark takes as its baseline."""

from bench_support import hello
from django.urls import include, path

urlpatterns = [path("bench/hello", hello), path("", include("config.urls"))]
