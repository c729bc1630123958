"""Generates the Russian word list of the key backup (frontend/src/lib/words/ru.json).

BIP39 has no Russian list. This one is made the same way a person would pick one: the 2,048
most frequent Russian common nouns (wordfreq's Russian data), in their dictionary form
(pymorphy3), 4 to 8 letters of the Russian alphabet without ё and й (so that typing, Unicode
normalisation and keyboards cannot change a word), no names of people or places, none of the
words or stems of ru-blocked.json (whole groups a voter should not carry across a border: see
BLOCKLIST), no noun naming a people, and no two words sharing their first four letters (so four
letters are always enough to restore a word).

Needs the optional `wordlist` packages (pyproject.toml): `pip install wordfreq==3.1.1
pymorphy3==2.0.6`, then `python scripts/wordlist_ru.py`. The output is sorted, so that the word
for a number is found by its position; tests/unit/test_backup_words.py checks its properties.
"""

import json
import re
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "frontend" / "src" / "lib" / "words" / "ru.json"
SIZE = 2048
LETTERS = re.compile(r"^[абвгдежзиклмнопрстуфхцчшщъыьэюя]{4,8}$")
EXCLUDED_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Infr", "Slng", "Arch",
                 "Erro", "Dist", "Fixd", "Obsc"}  # fmt: skip
PREFIX = 4

BLOCKLIST = OUT.parent / "ru-blocked.json"
"""Words a voter should not have to write on paper or say aloud, by whole groups: politics,
elections and power; protest and dissent; war and weapons; police, courts, prisons, borders and
emigration; violence and death; crime and drugs; religion; ethnic and national names; insults and
vulgar words; illness; anything sexual (a backup sheet is found by other people, sometimes by a
border guard). `words` are never taken, nor any word starting with one of `stems`; the test
reads the same file."""
NATIONALITY_SUFFIXES = ("анин", "янин", "анка", "янка", "ец", "ка")
"""People named after a people or a place (украинец, цыганка, южанин) that the curated stems
missed: an animate noun with one of these endings whose root makes a "-ский" adjective."""


def load_blocklist() -> tuple[frozenset[str], tuple[str, ...]]:
    data = json.loads(BLOCKLIST.read_text())
    return frozenset(data["words"]), tuple(data["stems"])


def is_blocked(word: str, words: frozenset[str], stems: tuple[str, ...]) -> bool:
    return word in words or word.startswith(stems)


def names_a_people(word: str, parse: Any, morph: Any) -> bool:
    if "anim" not in parse.tag:
        return False
    for suffix in NATIONALITY_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            root = word[: -len(suffix)]
            for adjective in (root + "ский", root + "ецкий", root + "ьский", root + "анский"):
                if morph.word_is_known(adjective) and any(
                    p.tag.POS == "ADJF" for p in morph.parse(adjective)
                ):
                    return True
    return False


def main() -> None:
    import pymorphy3
    from wordfreq import top_n_list

    morph = pymorphy3.MorphAnalyzer()
    blocked_words, blocked_stems = load_blocklist()
    chosen: list[str] = []
    prefixes: set[str] = set()
    for word in top_n_list("ru", 200_000):
        if (
            not LETTERS.match(word)
            or is_blocked(word, blocked_words, blocked_stems)
            or word[:PREFIX] in prefixes
        ):
            continue
        if not morph.word_is_known(word):  # a dictionary word, not a guess from its ending
            continue
        parse = morph.parse(word)[0]
        tag = parse.tag
        if tag.POS != "NOUN" or parse.normal_form != word or parse.score < 0.5:
            continue
        if "nomn" not in tag or "sing" not in tag or EXCLUDED_TAGS & set(tag.grammemes):
            continue
        if names_a_people(word, parse, morph):
            continue
        chosen.append(word)
        prefixes.add(word[:PREFIX])
        if len(chosen) == SIZE:
            break
    if len(chosen) != SIZE:
        raise SystemExit(f"only {len(chosen)} words qualified, {SIZE} are needed")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(sorted(chosen), ensure_ascii=False, indent=0) + "\n")
    print(f"wrote {SIZE} words to {OUT}")


if __name__ == "__main__":
    main()
