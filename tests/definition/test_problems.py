"""`check` reports every problem of a definition at its key path and line, not just the first."""

from pathlib import Path

import pytest

from tests.definition.texts import VALID, edit, line_of
from veche.definition import DefinitionError, Problem, check, load, parse_text


def problems_of(text: str) -> list[Problem]:
    definition, problems = parse_text(text)
    assert (definition is None) == bool(problems)
    return problems


def test_valid_text_has_no_problems() -> None:
    assert problems_of(VALID) == []


@pytest.mark.parametrize(
    ("value", "words"), [("1", "at least 2"), ("-1", "at least 0"), ('"2"', "whole number")]
)
def test_a_recovery_threshold_one_registrar_could_use_alone_is_refused(
    value: str, words: str
) -> None:
    text = edit(
        VALID, 'title = "Test election"', f'recovery_approvals = {value}\ntitle = "Test election"'
    )
    (problem,) = problems_of(text)
    assert problem.path == "recovery_approvals" and words in problem.message


# (old, new, expected path, fragment of the expected line, its occurrence, words of the message)
CASES = [
    ('method = "dhondt"', 'method = "dhont"', "method", "method =", 1, "must be one of 'dhondt'"),
    ('title = "Test election"', 'title = ""', "title", "title =", 1, "non-empty string"),
    (
        "threshold_percent = 5",
        "threshold_percent = 100",
        "threshold_percent",
        "thr",
        1,
        "below 100",
    ),
    ("threshold_percent = 5", 'threshold_percent = "5%"', "threshold_percent", "thr", 1, "decimal"),
    (
        'tie_break = "more-votes-then-ballot-order"',
        'tie_break = "random"',
        "tie_break",
        "tie_",
        1,
        "must be one of",
    ),
    (
        'title = "Test election"',
        'title = "T"\ncolour = "red"',
        "colour",
        "colour",
        1,
        "unknown key",
    ),
    (
        "registration_end = 2027-04-01T00:00:00Z",
        "registration_end = 2027-02-01T00:00:00Z",
        "calendar.registration_end",
        "registration_end",
        1,
        "must be after registration_start (2027-03-01T00:00:00Z), got 2027-02-01T00:00:00Z",
    ),
    (
        "appeals_end = 2027-04-12T00:00:00Z",
        "appeals_end = 2027-04-05T00:00:00Z",
        "calendar.appeals_end",
        "appeals_end",
        1,
        "must be after voting_end",
    ),
    (
        "voting_start = 2027-04-02T00:00:00Z",
        "voting_start = 2027-04-02T00:00:00",
        "calendar.voting_start",
        "voting_start",
        1,
        "must have a timezone",
    ),
    (
        "result = 2027-04-13T00:00:00Z",
        'result = "soon"',
        "calendar.result",
        "result",
        1,
        "ISO-8601",
    ),
    ("result = 2027-04-13T00:00:00Z\n", "", "calendar.result", "[calendar]", 1, "missing"),
    ('id = "north"', 'id = "North Pole"', "districts[0].id", "id =", 1, "lowercase"),
    ('id = "south"', 'id = "north"', "districts[1].id", "id =", 2, "twice (also districts[0])"),
    ("seats = 1\nmin", "seats = 0\nmin", "districts[1].seats", "seats = 0", 1, "at least 1, got 0"),
    ("seats = 2", 'seats = "2"', "districts[0].seats", "seats =", 1, "whole number, got '2'"),
    ("seats = 2\n", "", "districts[0].seats", "[[districts]]", 1, "required key is missing"),
    (
        "min_registered = 10",
        "min_registered = 0",
        "districts[0].min_registered",
        "min_",
        1,
        "must be at least 1",
    ),
    ('name = "Beta"', 'name = "Alpha"', "districts[0].lists[1].name", "Alpha", 2, "appears twice"),
    (
        '["Vera V"]',
        '["Vera V", " "]',
        "districts[0].lists[1].candidates[1]",
        "Vera",
        1,
        "non-empty",
    ),
    (
        'candidates = ["Vera V"]',
        "candidates = []",
        "districts[0].lists[1].candidates",
        "= []",
        1,
        "non-empty array",
    ),
    (
        "seats = 2",
        "seats = 4",
        "districts[0].seats",
        "seats = 4",
        1,
        "4 seats, but the lists name only 3 candidates",
    ),
    (
        'name = "Alpha"\n  candidates = ["Daria D"]',
        'name = "Gamma"\n  candidates = ["Daria D"]',
        "national.lists[0].name",
        "Gamma",
        1,
        "stands in no district",
    ),
]


@pytest.mark.parametrize(("old", "new", "path", "fragment", "occurrence", "words"), CASES)
def test_each_problem_is_reported_at_its_key(
    old: str, new: str, path: str, fragment: str, occurrence: int, words: str
) -> None:
    text = edit(VALID, old, new)
    (problem,) = problems_of(text)
    assert problem.path == path
    assert words in problem.message
    assert problem.line == line_of(text, fragment, occurrence)


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = VALID
    for old, new in [
        ('method = "dhondt"', 'method = "plurality"'),
        ("voting_end = 2027-04-05T00:00:00Z", "voting_end = 2027-04-01T00:00:00Z"),
        ("seats = 2", "seats = -2"),
        ('id = "south"', 'id = "south pole"'),
        ("seats = 1\n\n  [[national", "seats = 0\n\n  [[national"),
    ]:
        text = edit(text, old, new)
    assert [(p.path, p.line) for p in problems_of(text)] == [
        ("method", 2),
        ("calendar.voting_end", 10),
        ("districts[0].seats", 17),
        ("districts[1].id", 29),
        ("national.seats", 39),
    ]


def test_toml_syntax_error_is_reported_with_its_line() -> None:
    text = edit(VALID, "seats = 2", "seats = = 2")
    (problem,) = problems_of(text)
    assert problem.path == ""
    assert problem.line == line_of(text, "seats = = 2")
    assert problem.message.startswith("not valid TOML: ")


def test_problem_renders_as_file_line_path_message() -> None:
    problem = Problem("districts[2].seats", "must be at least 1, got 0", 31)
    assert problem.render("e.toml") == "e.toml:31: districts[2].seats: must be at least 1, got 0"
    assert Problem("", "cannot read the file: Permission denied").render("e.toml") == (
        "e.toml: cannot read the file: Permission denied"
    )


def test_load_refuses_a_file_with_problems_naming_the_first_and_counting_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(edit(edit(VALID, "seats = 2", "seats = 0"), "method = ", "methd = "))
    assert len(check(path)) == 3  # a misspelt key is unknown, and the real one is missing
    with pytest.raises(DefinitionError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: method: required key is missing (and 2 more; run 'veche definition check')"
    )


def test_missing_file_is_one_problem(tmp_path: Path) -> None:
    (problem,) = check(tmp_path / "absent.toml")
    assert problem.message == "cannot read the file: No such file or directory"
