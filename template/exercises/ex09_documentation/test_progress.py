"""Exercise 09: every public function is documented with an example that runs."""

import doctest
import inspect

import pytest

from . import progress

pytestmark = pytest.mark.exercise

PUBLIC_FUNCTIONS = [
    function
    for name, function in inspect.getmembers(progress, inspect.isfunction)
    if not name.startswith("_") and function.__module__ == progress.__name__
]


def test_the_module_says_what_it_is_for() -> None:
    docstring = inspect.getdoc(progress) or ""

    assert len(docstring.split()) >= 5, "write a module docstring of a sentence or more"


def test_the_module_has_public_functions() -> None:
    assert [function.__name__ for function in PUBLIC_FUNCTIONS] == [
        "completion_rate",
        "format_rate",
        "progress_bar",
    ]


@pytest.mark.parametrize("function", PUBLIC_FUNCTIONS, ids=lambda function: function.__name__)
def test_each_function_starts_with_a_one_sentence_summary(function: object) -> None:
    docstring = inspect.getdoc(function) or ""
    summary = docstring.split("\n\n")[0]

    assert summary, "no docstring"
    assert "\n" not in summary.strip(), "the summary is one line, then a blank line"
    assert summary.rstrip().endswith("."), "the summary is a sentence: end it with a full stop"


@pytest.mark.parametrize("function", PUBLIC_FUNCTIONS, ids=lambda function: function.__name__)
def test_each_function_shows_an_example(function: object) -> None:
    examples = doctest.DocTestParser().get_examples(inspect.getdoc(function) or "")

    assert examples, "show at least one example (a line starting with >>>)"


def test_every_example_runs_and_prints_what_it_says() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(progress):
        runner.run(test)

    result = runner.summarize(verbose=False)
    assert result.attempted >= len(PUBLIC_FUNCTIONS)
    assert result.failed == 0, "an example does not print what its docstring says"
