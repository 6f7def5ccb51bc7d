from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = __package__ or "notes"
    label = "notes"
    verbose_name = "Notes"
