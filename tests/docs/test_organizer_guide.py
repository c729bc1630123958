"""docs/ORGANIZER.md is followed here, command by command, on a fresh anvil: the guide cannot
drift from the tools, because its own command blocks are what this test runs.

How the guide is read: every ```console block is a shell session. A line starting with `$ ` is a
command (a line ending in `\\` goes on to the next); the lines after it, up to the next command,
are its expected output: each must match a line of what the command printed, in order (`…`
matches anything). A block's commands run in one bash, one after the other, so `export` and
variables carry on; a command ending in `&` keeps running in the background until the end. An
HTML comment `<!-- guide-test: travel KEY -->` (invisible to readers) moves the test chain's
clock to that moment of the definition's calendar, where the guide says to wait for it.

The test gives the guide its chain (`RPC`) and free ports for the guide's services (the guide's
port numbers are replaced), and `veche` on the PATH; nothing else.
"""

import contextlib
import json
import os
import queue
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect
from veche.chain.paths import REPO_ROOT
from veche.definition import load
from veche.devnet import free_port

GUIDE = REPO_ROOT / "docs" / "ORGANIZER.md"
VENV_BIN = REPO_ROOT / ".venv" / "bin"
GUIDE_PORTS = (8101, 8102, 8103, 8000)
"""The ports the guide's services listen on (replaced by free ones here)."""
COMMAND_SECONDS = 180


@dataclass
class Step:
    """A command and what the guide says it prints; or a move of the clock."""

    command: str = ""
    expected: list[str] = field(default_factory=list)
    travel: str = ""
    line: int = 0


def parse_guide(text: str) -> list[Step]:
    steps: list[Step] = []
    in_console = False
    pending = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not in_console:
            travel = re.fullmatch(r"<!-- guide-test: travel (\w+) -->", line.strip())
            if travel:
                steps.append(Step(travel=travel.group(1), line=number))
            elif line.strip() == "```console":
                in_console = True
            continue
        if line.strip() == "```":
            in_console = False
            continue
        if pending or line.startswith("$ "):
            command = pending + (line[2:] if not pending else line.strip())
            if command.endswith("\\"):
                pending = command[:-1] + " "
                continue
            pending = ""
            steps.append(Step(command=command, line=number))
        elif line.strip() and steps:
            steps[-1].expected.append(line.rstrip())
    return steps


def matches(expected: list[str], printed: str) -> str | None:
    """None if every expected line matches a printed line, in order; else the first that does
    not."""
    lines = printed.splitlines()
    at = 0
    for want in expected:
        pattern = re.compile(".*".join(re.escape(part) for part in want.strip().split("…")) + r"\Z")
        while at < len(lines) and not pattern.match(lines[at].strip()):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


class Shell:
    """One bash, fed one command at a time; its output is read up to a marker."""

    MARK = "@@guide-test-done@@"

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            ["bash", "--norc", "--noprofile"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=folder,
            env=env,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def run(self, command: str) -> tuple[int, str]:
        assert self.process.stdin is not None
        background = command.rstrip().endswith("&")
        body = command if background else f"{{ {command}\n}} < /dev/null"
        self.process.stdin.write(f"{body}\necho {self.MARK} $?\n")
        self.process.stdin.flush()
        printed: list[str] = []
        while True:
            line = self.lines.get(timeout=COMMAND_SECONDS)
            if line.startswith(self.MARK):
                return int(line.split()[1]), "".join(printed)
            printed.append(line)

    def close(self) -> None:
        """Ends the bash and every service it started in the background (its process group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 15)
        self.process.wait(timeout=10)


def test_the_guide_has_every_step() -> None:
    text = GUIDE.read_text()
    headings = re.findall(r"^## \d+\. (\w+)", text, flags=re.MULTILINE)
    assert [h.lower() for h in headings] == [
        "define", "check", "keys", "deploy", "registrars", "authorities", "calendar",
        "relayers", "appeals", "publish",
    ]  # fmt: skip
    steps = parse_guide(text)
    assert sum(1 for step in steps if step.command) >= 30
    assert {step.travel for step in steps if step.travel} == {
        "registration_start", "voting_end", "appeals_end",
    }  # fmt: skip


@pytest.fixture
def chain() -> Iterator[str]:
    """A fresh anvil."""
    with Anvil() as anvil:
        yield anvil.rpc_url


@pytest.mark.chain
@pytest.mark.slow
def test_an_organizer_following_the_guide_runs_a_whole_election(chain: str, tmp_path: Path) -> None:
    text = GUIDE.read_text()
    ports = {port: free_port() for port in GUIDE_PORTS}
    for old, new in ports.items():
        text = re.sub(rf"\b{old}\b", str(new), text)
    env = dict(
        os.environ,
        RPC=chain,
        PATH=f"{VENV_BIN}:{os.environ['PATH']}",
        PYTHONWARNINGS="ignore",
        VECHE_REPO=str(REPO_ROOT),
    )
    w3 = connect(chain)
    shell = Shell(tmp_path, env)
    try:
        for step in parse_guide(text):
            if step.travel:
                calendar = load(tmp_path / "my-election.toml").calendar.on_chain
                moment = getattr(calendar, step.travel)
                time_travel(w3, max(0, moment - latest_timestamp(w3)))
                continue
            code, printed = shell.run(step.command)
            where = f"docs/ORGANIZER.md:{step.line}: $ {step.command}\n{printed}"
            assert code == 0, f"exit code {code}\n{where}"
            missing = matches(step.expected, printed)
            assert missing is None, f"expected a line like {missing!r}\n{where}"
    finally:
        shell.close()
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["definitionHash"].startswith("0x")


def test_the_matching_of_expected_lines() -> None:
    printed = "Election deployed at 0xabc\nDefinition hash 0x17ab\n"
    assert matches(["Election deployed at …", "Definition hash 0x…"], printed) is None
    assert matches(["Definition hash 0x…", "Election deployed at …"], printed) == (
        "Election deployed at …"
    )
    assert matches(["Election deployed at 0xdef"], printed) == "Election deployed at 0xdef"
