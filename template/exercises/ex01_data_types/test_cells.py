"""Exercise 01: each cell becomes a value of the right type, and bad text is refused."""

from datetime import date
from decimal import Decimal

import pytest

from .cells import to_bool, to_date, to_hours

pytestmark = pytest.mark.exercise


@pytest.mark.parametrize("text", ["true", "Yes", " 1 ", "TRUE"])
def test_yes_words_are_true(text: str) -> None:
    assert to_bool(text) is True


@pytest.mark.parametrize("text", ["false", "No", "0", "", "  "])
def test_no_words_and_empty_cells_are_false(text: str) -> None:
    assert to_bool(text) is False


@pytest.mark.parametrize("text", ["maybe", "2", "y e s"])
def test_other_words_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        to_bool(text)


def test_hours_are_exact_decimals() -> None:
    total = to_hours("0.1") + to_hours("0.2")

    assert type(total) is Decimal
    assert total == Decimal("0.3")


@pytest.mark.parametrize(("text", "hours"), [("1.5", "1.5"), ("1,5", "1.5"), (" 2 ", "2")])
def test_hours_accept_a_comma_and_spaces(text: str, hours: str) -> None:
    assert to_hours(text) == Decimal(hours)


@pytest.mark.parametrize("text", ["-1", "two", "", "1.2.3", "nan"])
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        to_hours(text)


def test_an_iso_date_is_a_date() -> None:
    assert to_date("2025-03-01") == date(2025, 3, 1)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_cell_is_no_date(text: str) -> None:
    assert to_date(text) is None


@pytest.mark.parametrize("text", ["01/03/2025", "2025-02-30", "soon"])
def test_other_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        to_date(text)
