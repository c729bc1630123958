"""`veche seats` run as a user runs it: a real process, JSON on stdout, reasons on stderr."""

import json
import subprocess
import sys
from pathlib import Path

import pytest


def veche_seats(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "seats", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def votes_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "votes.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_prints_the_allocation_as_json(tmp_path: Path) -> None:
    path = votes_file(tmp_path, '{"A": 100000, "B": 80000, "C": 30000, "D": 20000}')
    run = veche_seats("--method", "dhondt", "--seats", "8", path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert run.stderr == ""


def test_threshold_takes_a_decimal_percentage(tmp_path: Path) -> None:
    path = votes_file(tmp_path, '{"A": 8000, "B": 1200, "C": 800}')
    without = veche_seats("--method", "sainte-lague", "--seats", "10", path)
    assert json.loads(without.stdout) == {"A": 8, "B": 1, "C": 1}
    run = veche_seats("--method", "sainte-lague", "--seats", "10", "--threshold", "8.5", path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"A": 9, "B": 1, "C": 0}


def test_says_on_stderr_when_a_tie_decided_a_seat(tmp_path: Path) -> None:
    path = votes_file(tmp_path, '{"Северный список": 700, "South": 700}')
    run = veche_seats("--method", "hare", "--seats", "1", path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"Северный список": 1, "South": 0}
    assert run.stderr == (
        "veche: tie: seat 1 went to 'Северный список' by tie-break (ballot order) "
        "over 'South', all at 700\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"A": 10, "B": -3}', "votes for 'B' must not be negative, got -3"),
        ('{"A": 10, "B": 2.5}', "votes for 'B' must be a whole number: 2.5"),
        ('{"A": 10, "A": 3}', "party 'A' appears twice"),
        ('["A", 10]', 'expected a JSON object {"party": votes, ...}'),
        ('{"A": 10,', "not valid JSON"),
        ('{"A": 0}', "no votes were cast"),
    ],
)
def test_bad_votes_file_gets_one_line_and_exit_code_1(
    tmp_path: Path, content: str, message: str
) -> None:
    run = veche_seats("--method", "droop", "--seats", "3", votes_file(tmp_path, content))
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.startswith("veche: error: ")
    assert message in run.stderr
    assert run.stderr.count("\n") == 1


def test_missing_file_gets_one_line_and_exit_code_1(tmp_path: Path) -> None:
    run = veche_seats("--method", "hare", "--seats", "3", str(tmp_path / "absent.json"))
    assert run.returncode == 1
    assert run.stderr == f"veche: error: cannot read {tmp_path / 'absent.json'}: " + (
        "No such file or directory\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--method", "plurality", "--seats", "3"],
        ["--method", "hare", "--seats", "three"],
        ["--method", "hare", "--seats", "3", "--threshold", "five"],
        ["--method", "hare", "--seats", "3", "--threshold", "120"],
        ["--seats", "3"],
    ],
)
def test_malformed_arguments_are_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    run = veche_seats(*args, votes_file(tmp_path, '{"A": 1}'))
    assert run.returncode == 2
    assert "usage: veche seats" in run.stderr
