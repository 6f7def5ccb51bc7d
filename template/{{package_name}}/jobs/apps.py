from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = __package__ or "jobs"
    label = "jobs"
    verbose_name = "Background jobs"
