"""The task page's forms: the filters above the list and the create form.

Both go through the API's own schemas (`TaskListQuery`, `TaskIn`), so the page and the API
accept exactly the same values; the Django forms here only render the controls.
"""

from __future__ import annotations

from typing import Any

from django import forms
from pydantic import ValidationError

from ..core.domain import (
    CATEGORY_MAX_LENGTH,
    DEFAULT_ORDERING,
    DEFAULT_PRIORITY,
    DESCRIPTION_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from ..core.errors import fields_from_pydantic
from ..core.listing import ORDERING_LABELS, PRIORITY_CHOICES
from ..core.schemas import TaskIn, TaskListQuery


class TaskFilterForm(forms.Form):
    """The search and filter controls above the list (a GET form, shown with `initial`)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Title or description"}),
    )
    category = forms.CharField(label="Category", required=False, max_length=CATEGORY_MAX_LENGTH)
    done = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All"), ("false", "To do"), ("true", "Done")],
    )
    ordering = forms.ChoiceField(
        label="Order",
        required=False,
        choices=list(ORDERING_LABELS.items()),
        initial=DEFAULT_ORDERING,
    )

    def __init__(self, query: TaskListQuery) -> None:
        super().__init__(initial=query.model_dump(), auto_id="filter-%s")


class TaskForm(forms.Form):
    """The create form. Django renders it; `TaskIn` validates it, exactly as in the API."""

    title = forms.CharField(
        required=False,  # `TaskIn` decides; the attributes below only help the browser
        widget=forms.TextInput(attrs={"required": True, "maxlength": TITLE_MAX_LENGTH}),
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": DESCRIPTION_MAX_LENGTH}),
    )
    category = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"maxlength": CATEGORY_MAX_LENGTH})
    )
    priority = forms.CharField(
        required=False,
        initial=DEFAULT_PRIORITY.value,
        widget=forms.Select(choices=PRIORITY_CHOICES),
    )
    due_date = forms.CharField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    task: TaskIn | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # An empty optional field takes the schema's default, as an empty CSV cell does.
        given = {name: value for name, value in cleaned.items() if value or name == "title"}
        try:
            self.task = TaskIn.model_validate(given)
        except ValidationError as exc:
            for name, message in fields_from_pydantic(exc).items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def validated_task(self) -> TaskIn:
        """The new task's data; only call it after `is_valid()` returned True."""
        if self.task is None:
            raise ValueError("The form has not been validated, or is not valid.")
        return self.task
