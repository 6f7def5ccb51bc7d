"""The Task table: its fields, the rules the database enforces, and the indexes lists use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..core.domain import CATEGORY_MAX_LENGTH, TITLE_MAX_LENGTH, Priority


class Task(models.Model):
    class PriorityChoice(models.TextChoices):
        LOW = Priority.LOW.value, "Low"
        NORMAL = Priority.NORMAL.value, "Normal"
        HIGH = Priority.HIGH.value, "High"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(blank=True, default="")
    category = models.CharField(max_length=CATEGORY_MAX_LENGTH, blank=True, default="")
    priority = models.CharField(
        max_length=6, choices=PriorityChoice.choices, default=PriorityChoice.NORMAL
    )
    done = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=Q(priority__in=[choice.value for choice in Priority]),
                name="task_priority_is_known",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="task_title_not_empty"),
        )
        indexes = (
            models.Index(fields=("owner", "-created_at", "-id"), name="task_owner_created_idx"),
            models.Index(fields=("owner", "category"), name="task_owner_category_idx"),
            models.Index(fields=("owner", "done"), name="task_owner_done_idx"),
            models.Index(fields=("owner", "due_date"), name="task_owner_due_idx"),
        )

    def __str__(self) -> str:
        return self.title
