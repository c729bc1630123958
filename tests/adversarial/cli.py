"""Running `veche` as a user does, and checking that a refusal is one line, never a traceback."""

import os
import subprocess
import sys


def veche(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    """The single `veche: error: ...` line of a refused command (asserting there is no
    traceback and no "internal error"), without its prefix."""
    lines = [line for line in run.stderr.strip().splitlines() if "warning" not in line]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert len(lines) == 1 and lines[0].startswith("veche: error: "), run.stderr
    return lines[0].removeprefix("veche: error: ")
