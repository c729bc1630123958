"""`veche definition check|show|hash` run as a user runs them."""

import subprocess
import sys
from pathlib import Path

from tests.definition.texts import VALID, edit
from veche.definition import definition_hash, load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def veche_definition(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "definition", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_of_a_valid_file_prints_a_summary_with_the_hash() -> None:
    path = EXAMPLES / "demo.toml"
    run = veche_definition("check", str(path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{path}: no problems\n")
    assert "districts    3, 7 seats" in run.stdout
    assert "voting       2027-01-21T00:00:00Z  to  2027-01-24T00:00:00Z" in run.stdout
    assert f"hash         0x{definition_hash(load(path)).hex()}" in run.stdout


def test_check_prints_every_problem_as_file_line_key_message_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "election.toml"
    path.write_text(
        edit(edit(VALID, 'method = "dhondt"', 'method = "hondt"'), "seats = 2", "seats = 0")
    )
    run = veche_definition("check", str(path))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"{path}:2: method: must be one of 'dhondt', 'sainte-lague', 'hare', 'droop', "
        "got 'hondt' (string)",
        f"{path}:17: districts[0].seats: must be at least 1, got 0",
    ]
    assert run.stderr == f"{path}: 2 problems\n"


def test_show_prints_the_calendar_and_the_phase_at_a_given_moment() -> None:
    path = str(EXAMPLES / "demo.toml")
    run = veche_definition("show", path, "--now", "2027-01-24T00:00:00Z")
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout.splitlines()[-1]
        == "At 2027-01-24T00:00:00Z: appeals (until 2027-01-31T00:00:00Z)"
    )
    before = veche_definition("show", path, "--now", "2027-01-23T23:59:59Z")
    assert before.stdout.splitlines()[-1] == (
        "At 2027-01-23T23:59:59Z: voting (until 2027-01-24T00:00:00Z)"
    )


def test_show_without_now_uses_the_current_time() -> None:
    run = veche_definition("show", str(EXAMPLES / "demo.toml"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("At 20")


def test_show_refuses_a_bad_moment_and_a_bad_file_in_one_line(tmp_path: Path) -> None:
    run = veche_definition("show", str(EXAMPLES / "demo.toml"), "--now", "tomorrow")
    assert (run.returncode, run.stderr) == (
        1,
        "veche: error: --now: not an ISO-8601 date-time: 'tomorrow'\n",
    )
    naive = veche_definition("show", str(EXAMPLES / "demo.toml"), "--now", "2027-01-24T00:00:00")
    assert (naive.returncode, naive.stderr) == (
        1,
        "veche: error: --now: add a timezone (for example 2027-01-24T00:00:00Z): "
        "'2027-01-24T00:00:00'\n",
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(VALID, "seats = 2", "seats = 0"))
    run = veche_definition("show", str(bad))
    assert (run.returncode, run.stderr) == (
        1,
        f"veche: error: {bad}:17: districts[0].seats: must be at least 1, got 0\n",
    )


def test_hash_prints_the_bytes32_for_the_deploy() -> None:
    path = EXAMPLES / "diaspora-2027.toml"
    run = veche_definition("hash", str(path))
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"0x{definition_hash(load(path)).hex()}\n"


def test_canonical_command_writes_the_bytes_whose_hash_is_on_chain(tmp_path) -> None:
    import subprocess
    import sys

    from eth_utils import keccak

    from veche.definition import definition_hash, load

    out = tmp_path / "definition.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "definition",
            "canonical",
            "examples/demo.toml",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert keccak(out.read_bytes()) == definition_hash(load("examples/demo.toml"))
