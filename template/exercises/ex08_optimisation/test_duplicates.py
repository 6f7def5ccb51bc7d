"""Exercise 08: the same answers as the starter's version, at least 20 times faster.

Speed is a ratio of two timings taken in this run on the same input, never a fixed number of
seconds: a slower or busier machine slows both alike.
"""

import time
from collections.abc import Callable, Sequence

import pytest

from .baseline import duplicate_titles_quadratic
from .duplicates import duplicate_titles

pytestmark = pytest.mark.exercise

SIZE = 2000
REQUIRED_SPEED_UP = 20


def titles(size: int) -> list[str]:
    """Mostly unique titles, with a duplicate (in another case) every 50th."""
    return [f"Task {n // 2}" if n % 50 == 0 else f"task {n} of the list" for n in range(size)]


@pytest.mark.parametrize(
    "given",
    [
        [],
        ["a", "b", "c"],
        ["a", "b", "b", "a"],
        ["Milk", "bread", "MILK", "milk", "Bread", "eggs"],
        ["x", "X", "y", "x"],
        titles(300),
    ],
)
def test_the_answers_are_the_starters(given: list[str]) -> None:
    assert duplicate_titles(given) == duplicate_titles_quadratic(given)


def best_time(function: Callable[[Sequence[str]], list[str]], given: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function(given)
        best = min(best, time.perf_counter() - start)
    return best


def test_it_is_at_least_twenty_times_faster_than_the_starter() -> None:
    given = titles(SIZE)

    baseline = best_time(duplicate_titles_quadratic, given, runs=1)
    optimised = best_time(duplicate_titles, given, runs=5)

    speed_up = baseline / optimised
    print(f"{SIZE} titles: starter {baseline * 1000:.1f} ms, yours {optimised * 1000:.2f} ms")
    assert speed_up >= REQUIRED_SPEED_UP, f"only {speed_up:.1f} times faster"
