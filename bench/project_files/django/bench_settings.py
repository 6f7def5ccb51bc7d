"""The project's production settings plus the benchmark's two additions (bench_support)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

ROOT_URLCONF = "bench_urls"
MIDDLEWARE = ["bench_support.count_queries", *MIDDLEWARE]
