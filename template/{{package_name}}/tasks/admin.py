from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ("title", "owner", "category", "priority", "done", "due_date", "created_at")
    list_filter = ("done", "priority", "category")
    search_fields = ("title", "description", "owner__username")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
