"""Every `veche ...` command that docs/PRODUCTION.md gives an organizer is one the tool accepts:
the checklist's "exact commands" are parsed by the real argument parser, so a renamed option
fails here instead of on election day."""

import re
import shlex

import pytest

from veche.chain.paths import REPO_ROOT
from veche.cli.main import build_parser

PRODUCTION = REPO_ROOT / "docs" / "PRODUCTION.md"

PLACEHOLDERS = {
    "$RPC": "http://127.0.0.1:8545",
    "0x...": "0x" + "11" * 20,
    "0x<block hash>": "0x" + "ab" * 32,
    "0x<that block's hash>": "0x" + "ab" * 32,
    "<hash>": "ab" * 32,
    "<my hash>": "ab" * 32,
    "<your hash>": "ab" * 32,
    "<previous>": "0001",
    "<next>": "0002",
    "<last>": "0003",
    "<public name>": "Alice",
    "I": "1",
    "--quota N": "--quota 10",
    "--ptau ...": "--ptau powersOfTau28_hez_final_13.ptau",
}


def commands() -> list[str]:
    """The `veche` commands of the document's code blocks (continuation lines joined)."""
    text = PRODUCTION.read_text()
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#", 1)[0].strip()
            if "veche " in line and not line.startswith("node "):
                found.append(line[line.index("veche ") :])
    for span in re.findall(r"`(veche [^`]+)`", text):  # inline: whole commands, not names
        if re.search(r" --\w+ \S", span) and "|" not in span:
            found.append(span)
    return found


def argv(command: str) -> list[str]:
    for placeholder, value in sorted(PLACEHOLDERS.items(), key=lambda kv: -len(kv[0])):
        command = command.replace(placeholder, value)
    command = re.sub(r"\[([^\]]*)\]", r"\1", command)  # optional parts: parse them too
    return shlex.split(command)[1:]


def test_the_document_gives_commands() -> None:
    found = commands()
    assert len(found) >= 15, found
    for step in ("deploy", "registrars authorize", "registrar submit", "ceremony contribute"):
        assert any(command.startswith(f"veche {step}") for command in found), step


@pytest.mark.parametrize("command", commands())
def test_each_command_parses(command: str) -> None:
    try:
        build_parser().parse_args(argv(command))
    except SystemExit as exit_:
        pytest.fail(f"{command!r} is refused by the parser (exit {exit_.code})")
