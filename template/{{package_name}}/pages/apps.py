from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = __package__ or "pages"
    label = "pages"
    verbose_name = "Pages"
