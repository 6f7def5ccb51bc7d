"""HTML forms for the pages, without a form library.

The API's pydantic schemas already validate every value, so a form here only has to know its
controls, keep what was submitted and hold the errors to show; `templates/forms.html` renders
it with the same markup as Django's `form.as_div`, so the shared CSS and JS see one page
structure in both flavours. The CSRF token is not a field: the templates add it, and
Flask-WTF's `CSRFProtect` checks it on every POST before a view runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

#: An HTML attribute's value; True writes the attribute alone (`required`).
AttrValue = str | int | bool

REQUIRED_MESSAGE = "This field is required."


@dataclass(frozen=True)
class Field:
    """One control: an `<input>` of type `widget`, or a `textarea` or a `select`."""

    name: str
    label: str
    widget: str = "text"
    attrs: Mapping[str, AttrValue] = field(default_factory=dict)
    help_text: str | tuple[str, ...] = ""  # several lines are shown as a list
    choices: Sequence[tuple[str, str]] = ()
    required: bool = False
    strip: bool = True
    render_value: bool = True  # False for passwords: they are never sent back to the browser


@dataclass(frozen=True)
class BoundField:
    """A field with its id, value and errors: what the template renders."""

    field: Field
    id: str
    value: str
    errors: Sequence[str]

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def label(self) -> str:
        return self.field.label

    @property
    def widget(self) -> str:
        return self.field.widget

    @property
    def help_text(self) -> str | tuple[str, ...]:
        return self.field.help_text

    @property
    def choices(self) -> Sequence[tuple[str, str]]:
        return self.field.choices

    @property
    def help_id(self) -> str:
        return f"{self.id}_helptext"

    @property
    def error_id(self) -> str:
        return f"{self.id}_error"

    @property
    def attrs(self) -> dict[str, AttrValue]:
        """The control's attributes, in the order Django writes them."""
        attrs: dict[str, AttrValue] = {}
        if self.value and self.field.render_value and self.widget not in ("textarea", "select"):
            attrs["value"] = self.value
        attrs.update(self.field.attrs)
        if self.field.required:
            attrs["required"] = True
        if self.errors:
            attrs["aria-invalid"] = "true"
        described_by = [self.help_id] if self.help_text else []
        described_by += [self.error_id] if self.errors else []
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        attrs["id"] = self.id
        return attrs


class Form:
    """Submitted values (or initial ones) and errors for the `fields` a subclass declares.

    `is_valid()` checks the required fields, then calls `clean()`, where a subclass validates
    with a schema and reports problems through `add_error`.
    """

    fields: ClassVar[Sequence[Field]] = ()
    id_format: ClassVar[str] = "id_{}"

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        initial: Mapping[str, object] | None = None,
    ) -> None:
        self.is_bound = data is not None
        self.data: dict[str, str] = {}
        for form_field in self.fields:
            if data is not None:
                value = data.get(form_field.name, "")
                self.data[form_field.name] = value.strip() if form_field.strip else value
            else:
                given = (initial or {}).get(form_field.name)
                self.data[form_field.name] = "" if given is None else str(given)
        self.errors: dict[str | None, list[str]] = {}

    def __iter__(self) -> Iterator[BoundField]:
        for form_field in self.fields:
            yield BoundField(
                field=form_field,
                id=self.id_format.format(form_field.name),
                value=self.data[form_field.name],
                errors=self.errors.get(form_field.name, []),
            )

    @property
    def non_field_errors(self) -> list[str]:
        return self.errors.get(None, [])

    def add_error(self, name: str | None, message: str) -> None:
        """Attach `message` to the field `name`, or to the whole form when `name` is None."""
        if name is not None and name not in self.field_names():
            name = None
        self.errors.setdefault(name, []).append(message)

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        self.errors = {}
        for form_field in self.fields:
            if form_field.required and not self.data[form_field.name]:
                self.add_error(form_field.name, REQUIRED_MESSAGE)
        if not self.errors:
            self.clean()
        return not self.errors

    def clean(self) -> None:
        """Validate the values as a whole; report problems with `add_error`."""

    @classmethod
    def field_names(cls) -> set[str]:
        return {form_field.name for form_field in cls.fields}
