from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = __package__ or "tasks"
    label = "tasks"
    verbose_name = "Tasks"
