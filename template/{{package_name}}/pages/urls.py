from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tasks/<int:task_id>/done/", views.set_task_done, name="task_done"),
    path("tasks/<int:task_id>/delete/", views.delete_task, name="task_delete"),
]
