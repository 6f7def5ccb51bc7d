"""Exercise 04: errors chained, collected, and retried only when it helps."""

from collections.abc import Callable

import pytest

from .errors import InvalidCellError, parse_all, parse_minutes, retry

pytestmark = pytest.mark.exercise


def test_minutes_are_read_from_text() -> None:
    assert parse_minutes(" 45 ", row=1) == 45


def test_text_that_is_no_number_is_an_invalid_cell_caused_by_the_value_error() -> None:
    with pytest.raises(InvalidCellError) as raised:
        parse_minutes("soon", row=7)

    assert raised.value.row == 7
    assert "row 7" in str(raised.value)
    assert isinstance(raised.value.__cause__, ValueError)


def test_a_negative_number_is_an_invalid_cell() -> None:
    with pytest.raises(InvalidCellError, match="row 2"):
        parse_minutes("-5", row=2)


def test_every_bad_cell_is_reported_at_once() -> None:
    values, errors = parse_all(["10", "x", "20", "-1"])

    assert values == [10, 20]
    assert [error.row for error in errors] == [2, 4]


def test_good_cells_give_no_errors() -> None:
    assert parse_all(["1", "2"]) == ([1, 2], [])


def flaky(failures: list[Exception], result: str = "done") -> Callable[[], str]:
    """An operation that raises each of `failures` in turn, then returns `result`."""
    calls = iter(failures)

    def operation() -> str:
        failure = next(calls, None)
        if failure is not None:
            raise failure
        return result

    return operation


def test_a_passing_failure_is_retried() -> None:
    assert retry(flaky([ConnectionError(), TimeoutError()]), attempts=3) == "done"


def test_the_last_error_is_raised_when_attempts_run_out() -> None:
    last = ConnectionError("third")
    operation = flaky([ConnectionError("first"), ConnectionError("second"), last])

    with pytest.raises(ConnectionError) as raised:
        retry(operation, attempts=3)

    assert raised.value is last


def test_other_errors_are_not_retried() -> None:
    calls = []

    def operation() -> str:
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        retry(operation, attempts=5)

    assert len(calls) == 1


def test_at_least_one_attempt_is_needed() -> None:
    with pytest.raises(ValueError, match="attempt"):
        retry(flaky([]), attempts=0)
