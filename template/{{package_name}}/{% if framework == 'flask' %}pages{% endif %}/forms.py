"""The task page's forms: the filters above the list and the create form.

Both go through the API's own schemas (`TaskListQuery`, `TaskIn`), so the page and the API
accept exactly the same values; the forms here only describe the controls.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from ..core.domain import (
    CATEGORY_MAX_LENGTH,
    DEFAULT_PRIORITY,
    DESCRIPTION_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from ..core.errors import fields_from_pydantic
from ..core.listing import ORDERING_LABELS, PRIORITY_CHOICES
from ..core.schemas import TaskIn, TaskListQuery
from .html_forms import Field, Form


class TaskFilterForm(Form):
    """The search and filter controls above the list (a GET form, shown with the query)."""

    id_format = "filter-{}"
    fields = (
        Field(
            "q",
            "Search",
            widget="search",
            attrs={"placeholder": "Title or description", "maxlength": SEARCH_MAX_LENGTH},
        ),
        Field("category", "Category", attrs={"maxlength": CATEGORY_MAX_LENGTH}),
        Field(
            "done",
            "Status",
            widget="select",
            choices=[("", "All"), ("false", "To do"), ("true", "Done")],
        ),
        Field("ordering", "Order", widget="select", choices=list(ORDERING_LABELS.items())),
    )

    def __init__(self, query: TaskListQuery) -> None:
        super().__init__(initial=query.model_dump())


class TaskForm(Form):
    """The create form. The template renders it; `TaskIn` validates it, exactly as in the API."""

    fields = (
        # `TaskIn` decides what is valid; `required` and `maxlength` only help the browser.
        Field("title", "Title", attrs={"required": True, "maxlength": TITLE_MAX_LENGTH}),
        Field(
            "description",
            "Description",
            widget="textarea",
            attrs={"cols": 40, "rows": 2, "maxlength": DESCRIPTION_MAX_LENGTH},
        ),
        Field("category", "Category", attrs={"maxlength": CATEGORY_MAX_LENGTH}),
        Field("priority", "Priority", widget="select", choices=PRIORITY_CHOICES),
        Field("due_date", "Due date", widget="date"),
    )

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        super().__init__(data, initial={"priority": DEFAULT_PRIORITY.value})
        self.task: TaskIn | None = None

    def clean(self) -> None:
        # An empty optional field takes the schema's default, as an empty CSV cell does.
        given = {name: value for name, value in self.data.items() if value or name == "title"}
        try:
            self.task = TaskIn.model_validate(given)
        except ValidationError as exc:
            for name, message in fields_from_pydantic(exc).items():
                self.add_error(name, message)

    def validated_task(self) -> TaskIn:
        """The new task's data; only call it after `is_valid()` returned True."""
        if self.task is None:
            raise ValueError("The form has not been validated, or is not valid.")
        return self.task
