"""Exercise 07: the iterator protocol, written by hand."""

from collections.abc import Iterator

import pytest

from .batches import Batches

pytestmark = pytest.mark.exercise


def counted(limit: int, seen: list[int]) -> Iterator[int]:
    for number in range(limit):
        seen.append(number)
        yield number


def test_items_come_in_batches_the_last_one_shorter() -> None:
    assert list(Batches(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_an_exact_multiple_has_no_empty_batch() -> None:
    assert list(Batches("abcd", 2)) == [["a", "b"], ["c", "d"]]


def test_nothing_gives_no_batches() -> None:
    assert list(Batches([], 3)) == []


def test_a_batches_object_is_its_own_iterator() -> None:
    batches = Batches([1, 2, 3], 2)

    assert iter(batches) is batches
    assert next(batches) == [1, 2]
    assert next(batches) == [3]
    with pytest.raises(StopIteration):
        next(batches)
    with pytest.raises(StopIteration):
        next(batches)


def test_items_are_read_one_batch_at_a_time() -> None:
    seen: list[int] = []
    batches = Batches(counted(100, seen), 10)

    assert seen == [], "nothing is read before the first batch is asked for"
    next(batches)
    assert seen == list(range(10))
    next(batches)
    assert seen == list(range(20))


def test_a_list_is_not_started_again() -> None:
    batches = Batches([1, 2, 3], 2)
    first = list(batches)

    assert first == [[1, 2], [3]]
    assert list(batches) == []


@pytest.mark.parametrize("size", [0, -1])
def test_a_size_below_one_is_refused_at_once(size: int) -> None:
    with pytest.raises(ValueError, match="size"):
        Batches([1], size)
