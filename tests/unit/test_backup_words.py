"""The Russian word list of the key backup (frontend/src/lib/words/ru.json, made by
scripts/wordlist_ru.py): 2,048 distinct words a person can write and type without ambiguity."""

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS: list[str] = json.loads((ROOT / "frontend/src/lib/words/ru.json").read_text())
ALPHABET = set("абвгдежзиклмнопрстуфхцчшщъыьэюя")  # no ё, no й: NFKD would split them


def _blocked() -> frozenset[str]:
    tree = ast.parse((ROOT / "scripts/wordlist_ru.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "BLOCKED":
            call = node.value
            assert isinstance(call, ast.Call)
            text = call.args[0].func.value.value  # type: ignore[attr-defined]
            return frozenset(text.split())
    raise AssertionError("BLOCKED not found")


def test_the_list_has_2048_sorted_distinct_words() -> None:
    assert len(WORDS) == 2048
    assert sorted(set(WORDS)) == WORDS


def test_every_word_is_4_to_8_plain_russian_letters() -> None:
    assert [w for w in WORDS if not (4 <= len(w) <= 8 and set(w) <= ALPHABET)] == []


def test_four_letters_are_enough_to_tell_every_word() -> None:
    prefixes = [w[:4] for w in WORDS]
    assert len(set(prefixes)) == len(WORDS)


def test_no_word_a_voter_should_not_have_to_write_down() -> None:
    blocked = _blocked()
    assert len(blocked) > 50
    assert blocked.isdisjoint(WORDS)
