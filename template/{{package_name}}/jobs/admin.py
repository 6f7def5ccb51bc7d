from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("id", "kind", "owner", "state", "progress", "created_at", "finished_at")
    list_filter = ("state", "kind")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)
    # Jobs are written by the worker; the admin shows them without changing them.
    readonly_fields = (
        "owner",
        "kind",
        "state",
        "progress",
        "result",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    )
    exclude = ("payload",)
