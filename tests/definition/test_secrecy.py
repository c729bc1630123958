"""`ballot_secrecy` and `election_key`: plain unless the definition says encrypted; an encrypted
election names its election key file, whose content (not its path) the hash pins; every misuse
is a problem at its key, never a traceback."""

import hashlib
import json
from pathlib import Path

import pytest

from tests.definition.texts import VALID, edit
from veche.definition import (
    ElectionDefinition,
    Problem,
    canonical_json,
    definition_hash,
    parse_text,
)
from veche.protocol import BallotSecrecy
from veche.trustees.development import DEVELOPMENT_KEY

KEY = json.loads(DEVELOPMENT_KEY.read_text())

TOP = 'title = "Test election"'


def with_top(*lines: str) -> str:
    return edit(VALID, TOP, "\n".join(lines) + "\n" + TOP)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "election-key.json"
    path.write_text(json.dumps(KEY))
    return path


def parse_in(folder: Path, text: str) -> tuple[ElectionDefinition | None, list[Problem]]:
    definition, problems = parse_text(text, folder)
    assert (definition is None) == bool(problems)
    return definition, problems


def test_a_definition_without_secrecy_is_plain_and_keeps_its_hash(tmp_path: Path) -> None:
    plain, _ = parse_in(tmp_path, VALID)
    said, _ = parse_in(tmp_path, with_top('ballot_secrecy = "plain"'))
    assert plain is not None and said is not None
    assert plain.ballot_secrecy is BallotSecrecy.PLAIN and plain.election_key_sha256 is None
    assert definition_hash(said) == definition_hash(plain)
    assert b"secrecy" not in canonical_json(plain)


def test_an_encrypted_definition_pins_its_key_files_content_not_its_path(
    tmp_path: Path, key_file: Path
) -> None:
    definition, problems = parse_in(
        tmp_path, with_top('ballot_secrecy = "encrypted"', 'election_key = "election-key.json"')
    )
    assert problems == [] and definition is not None
    digest = hashlib.sha256(key_file.read_bytes()).hexdigest()
    assert definition.ballot_secrecy is BallotSecrecy.ENCRYPTED
    assert definition.election_key == key_file.resolve()
    assert definition.election_key_sha256 == digest
    canonical = json.loads(canonical_json(definition))
    assert (canonical["ballot_secrecy"], canonical["election_key_sha256"]) == ("encrypted", digest)
    assert "election_key" not in canonical
    (tmp_path / "moved").mkdir()
    (tmp_path / "moved" / "key.json").write_bytes(key_file.read_bytes())
    moved, _ = parse_in(
        tmp_path, with_top('ballot_secrecy = "encrypted"', 'election_key = "moved/key.json"')
    )
    assert moved is not None and definition_hash(moved) == definition_hash(definition)
    key_file.write_text(json.dumps(KEY, indent=1))
    changed, _ = parse_in(
        tmp_path, with_top('ballot_secrecy = "encrypted"', 'election_key = "election-key.json"')
    )
    assert changed is not None and definition_hash(changed) != definition_hash(definition)


MISUSES = [
    (['ballot_secrecy = "secret"'], "ballot_secrecy", "must be one of"),
    (["ballot_secrecy = true"], "ballot_secrecy", "must be one of"),
    (['ballot_secrecy = "encrypted"'], "ballot_secrecy", "needs election_key"),
    (['election_key = "election-key.json"'], "election_key", "only an election with"),
    (
        ['ballot_secrecy = "plain"', 'election_key = "election-key.json"'],
        "election_key",
        "only an election with",
    ),
    (['ballot_secrecy = "encrypted"', 'election_key = ""'], "election_key", "non-empty string"),
    (['ballot_secrecy = "encrypted"', "election_key = 5"], "election_key", "string"),
    (['ballot_secrecy = "encrypted"', 'election_key = "gone.json"'], "election_key", "cannot read"),
    (['ballot_secrecy = "encrypted"', 'election_key = "text.txt"'], "election_key", "not JSON"),
    (
        ['ballot_secrecy = "encrypted"', 'election_key = "other.json"'],
        "election_key",
        "not a veche-election-key/v1 election key",
    ),
    (
        ['ballot_secrecy = "encrypted"', 'election_key = "short.json"'],
        "election_key",
        "malformed election key",
    ),
]


@pytest.mark.parametrize(("lines", "path", "words"), MISUSES)
def test_each_misuse_of_secrecy_or_key_is_one_problem_at_its_key(
    tmp_path: Path, key_file: Path, lines: list[str], path: str, words: str
) -> None:
    (tmp_path / "text.txt").write_text("not json")
    (tmp_path / "other.json").write_text(json.dumps({"format": "veche-definition/1"}))
    (tmp_path / "short.json").write_text(json.dumps({"format": KEY["format"]}))
    _, problems = parse_in(tmp_path, with_top(*lines))
    assert [(p.path, words in p.message) for p in problems] == [(path, True)], problems
    assert problems[0].line is not None


def test_an_encrypted_district_offers_at_most_16_options(tmp_path: Path, key_file: Path) -> None:
    lists = "".join(
        f'\n  [[districts.lists]]\n  name = "L{i}"\n  candidates = ["C{i}"]\n' for i in range(15)
    )
    wide = edit(VALID, '  candidates = ["Vera V"]\n', '  candidates = ["Vera V"]\n' + lists)
    encrypted = ['ballot_secrecy = "encrypted"', 'election_key = "election-key.json"']
    _, problems = parse_in(tmp_path, edit(wide, TOP, "\n".join(encrypted) + "\n" + TOP))
    assert [(p.path, "17 lists" in p.message and "16" in p.message) for p in problems] == [
        ("districts[0].lists", True)
    ]
    plain, problems = parse_in(tmp_path, wide)
    assert problems == [] and plain is not None
