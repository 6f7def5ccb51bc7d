"""CSV import and export of tasks, as generators.

The format is the API contract's: header `title,description,category,priority,done,due_date`,
UTF-8 (a BOM is accepted on import, none is written), `done` as `true`/`false`, and an empty
cell meaning the field's default. Cells that a spreadsheet would run as a formula (they start
with `=`, `+`, `-`, `@`, a tab or a carriage return, the characters OWASP's CSV injection page
lists) are written with a leading `'`, which import removes again.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, Self

from pydantic import ValidationError

from .errors import RowError, ValidationFailed, fields_from_pydantic
from .schemas.tasks import TaskIn

CSV_HEADER: tuple[str, ...] = ("title", "description", "category", "priority", "done", "due_date")
MAX_IMPORT_ROWS = 10_000
#: `RowError.field` for a problem with the line as a whole rather than one cell.
WHOLE_ROW = ""

# A value needs the protective quote when it is a formula, or when it already looks like a
# quoted formula (any number of quotes, then a formula character): quoting that case too is
# what lets import strip exactly one quote and still give back the original. A leading tab or
# carriage return counts too: some spreadsheets skip it and read the formula that follows.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_TRIMMED_COLUMNS = frozenset({"priority", "done", "due_date"})
_DONE_WORDS = {"true": True, "false": False}


class _Reader(Protocol):
    """What is used of `csv.reader`'s result (its class name differs across versions)."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


def escape_cell(value: str) -> str:
    """Guard a cell against formula injection: `=1+1` is written as `'=1+1`."""
    return f"'{value}" if _NEEDS_QUOTE.match(value) else value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`: drop one leading `'` that guards a formula."""
    if value.startswith("'") and _NEEDS_QUOTE.match(value, 1):
        return value[1:]
    return value


def iter_export_lines(tasks: Iterable[object]) -> Iterator[str]:
    """Yield the header line, then one CSV line per task, one at a time.

    Each task needs the attributes `title, description, category, priority, done, due_date`
    (an ORM instance or any object will do).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[str]) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(CSV_HEADER)
    for task in tasks:
        yield line(escape_cell(cell) for cell in _export_cells(task))


def _export_cells(task: Any) -> tuple[str, ...]:
    # Plain attribute access (no getattr defaults): a missing attribute is a bug to surface.
    return (
        _text(task.title),
        _text(task.description),
        _text(task.category),
        _text(task.priority),
        "true" if task.done else "false",
        "" if task.due_date is None else task.due_date.isoformat(),
    )


def _text(value: object) -> str:
    # str() of a StrEnum member is its value, so a Priority and a plain str both work.
    return "" if value is None else str(value)


class ImportRows:
    """The data rows of a CSV upload, an iterator of `(line_number, values or row errors)`.

    A class rather than a generator function because its work comes in two parts: creating it
    reads and checks the header at once (a generator's body would not start before the first
    `next()`), so a file that is not a CSV of tasks is refused before any row is read; then
    each `next()` reads and validates one more row, so the rows are never all held at once.
    """

    def __init__(self, text_lines: Iterable[str]) -> None:
        self._reader: _Reader = csv.reader(text_lines)
        self.header = _read_header(self._reader)
        # reader.line_num counts physical lines read so far; a row starts on the line after
        # the previous row ended, even when quoted line breaks make it span several.
        self._next_line = self._reader.line_num + 1

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> tuple[int, dict[str, Any] | list[RowError]]:
        while True:
            try:
                cells = next(self._reader)  # its StopIteration ends this iterator too
            except csv.Error as exc:
                raise _file_error(f"Line {self._next_line} cannot be read as CSV: {exc}.") from None
            line, self._next_line = self._next_line, self._reader.line_num + 1
            if any(cells):
                return line, _validate_row(line, self.header, cells)


def iter_import_rows(text_lines: Iterable[str]) -> ImportRows:
    """Check the header now, then validate the data rows one at a time (see `ImportRows`).

    `text_lines` are lines with their line endings, as read from a file opened with
    `newline=""`, so that line breaks inside quoted cells survive. Each data row gives
    `(line_number, values)`: `values` is the dict of validated `TaskIn` fields the row set
    (empty cells are left out, so they take the defaults), or the row's list of `RowError`.
    Blank lines are skipped. A bad header raises `ValidationFailed` naming `file`.
    """
    return ImportRows(text_lines)


def decode_upload(data: bytes) -> str:
    """An uploaded file as text: UTF-8, with or without a BOM (which is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error("The file is not UTF-8 text.") from None


def parse_import(data: bytes, *, max_rows: int = MAX_IMPORT_ROWS) -> list[dict[str, Any]]:
    """Validate a whole upload: every row's values, or one `ValidationFailed` listing all
    the bad rows so that nothing is stored."""
    text = decode_upload(data)
    tasks: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for count, (_line, result) in enumerate(iter_import_rows(io.StringIO(text, newline="")), 1):
        if count > max_rows:
            raise _file_error(f"The file has more than {max_rows} rows.")
        if isinstance(result, list):
            errors.extend(result)
        else:
            tasks.append(result)
    if errors:
        bad_lines = len({error.row for error in errors})
        noun = "line is" if bad_lines == 1 else "lines are"
        raise ValidationFailed(f"{bad_lines} {noun} invalid; nothing was imported.", rows=errors)
    return tasks


def _read_header(reader: _Reader) -> tuple[str, ...]:
    try:
        cells = next(reader)
    except StopIteration:
        cells = []
    except csv.Error as exc:
        raise _file_error(f"Line 1 cannot be read as CSV: {exc}.") from None
    if not cells:
        raise _file_error(f"The file must start with the header {','.join(CSV_HEADER)}.")
    # A BOM survives when the caller decoded with plain utf-8; it is not part of the name.
    cells[0] = cells[0].removeprefix("\ufeff")
    # Names match exactly, as the contract says: a near miss is reported, not guessed at.
    header = tuple(cells)
    for position, name in enumerate(header, 1):
        if not name:
            raise _file_error(f"Column {position} of the header has no name.")
        if name not in CSV_HEADER:
            raise _file_error(f"Unknown column {name!r}; the columns are {', '.join(CSV_HEADER)}.")
        if name in header[: position - 1]:
            raise _file_error(f"The column {name!r} appears more than once.")
    if "title" not in header:
        raise _file_error("The header has no 'title' column.")
    return header


def _validate_row(
    line: int, header: tuple[str, ...], cells: list[str]
) -> dict[str, Any] | list[RowError]:
    if len(cells) != len(header):
        message = f"Expected {len(header)} cells, as in the header, but found {len(cells)}."
        return [RowError(line, WHOLE_ROW, message)]
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, raw in zip(header, cells, strict=True):
        cell = unescape_cell(raw)
        if name in _TRIMMED_COLUMNS:
            cell = cell.strip()
        if cell == "":
            continue
        if name == "done":
            done = _DONE_WORDS.get(cell)
            if done is None:
                errors.append(RowError(line, name, "Enter true or false."))
            else:
                values[name] = done
        else:
            values[name] = cell
    try:
        task = TaskIn.model_validate(values)
    except ValidationError as exc:
        fields = fields_from_pydantic(exc)
        errors.extend(RowError(line, name, message) for name, message in fields.items())
    if errors:
        order = {name: position for position, name in enumerate(header)}
        return sorted(errors, key=lambda error: order.get(error.field, -1))
    return {name: getattr(task, name) for name in CSV_HEADER if name in task.model_fields_set}


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed("The file cannot be imported.", fields={"file": message})
