"""The Russian word list of the key backup (frontend/src/lib/words/ru.json, made by
scripts/wordlist_ru.py): 2,048 distinct words a person can write and type without ambiguity."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS: list[str] = json.loads((ROOT / "frontend/src/lib/words/ru.json").read_text())
ALPHABET = set("абвгдежзиклмнопрстуфхцчшщъыьэюя")  # no ё, no й: NFKD would split them


def _split(text: str) -> frozenset[str]:
    return frozenset(text.split())


BLOCKED = json.loads((ROOT / "frontend/src/lib/words/ru-blocked.json").read_text())
"""What scripts/wordlist_ru.py keeps out of the list: exact `words` and any word starting with
one of the `stems` (politics, protest, war, police and borders, violence, crime, religion,
peoples, insults, illness, sex)."""

SEEN_ON_EARLIER_LISTS = _split(
    """
агитация активист демократ либерал диктатор заговор мятеж пикет политика свобода цензура режим
обыск разведка штаб фронт снаряд пуля взрыв беглец граница кандидат мандат министр генерал
офицер адмирал бригада лозунг негр украинец цыганка аллах религия церковь богиня
партия власть выборы депутат президент оппозиция
    """
)
"""Words an earlier list held or that name the groups outright: each must be blocked by the file
(as a word or by a stem), so that editing the file cannot quietly let them back."""

STEMS_THAT_MUST_STAY = _split(
    """
полит револю воен оруж тюрь арест расстрел убий партия власт выбор депут президент минист
режим оппоз протест митинг армия солдат полиц прокур суд погран эмигр смерт нарко религ церк
богин украин цыган негр секс порн болезн
    """
)


def test_the_list_has_2048_sorted_distinct_words() -> None:
    assert len(WORDS) == 2048
    assert sorted(set(WORDS)) == WORDS


def test_every_word_is_4_to_8_plain_russian_letters() -> None:
    assert [w for w in WORDS if not (4 <= len(w) <= 8 and set(w) <= ALPHABET)] == []


def test_four_letters_are_enough_to_tell_every_word() -> None:
    prefixes = [w[:4] for w in WORDS]
    assert len(set(prefixes)) == len(WORDS)


def _is_blocked(word: str) -> bool:
    return word in BLOCKED["words"] or word.startswith(tuple(BLOCKED["stems"]))


def test_the_blocklist_covers_whole_groups() -> None:
    assert sorted(w for w in SEEN_ON_EARLIER_LISTS if not _is_blocked(w)) == []
    assert sorted(STEMS_THAT_MUST_STAY - set(BLOCKED["stems"])) == []
    assert len(BLOCKED["stems"]) > 500


def test_no_word_a_voter_should_not_have_to_write_down() -> None:
    assert sorted(SEEN_ON_EARLIER_LISTS & set(WORDS)) == []
    assert sorted(set(BLOCKED["words"]) & set(WORDS)) == []
    stems = tuple(BLOCKED["stems"])
    assert [w for w in WORDS if w.startswith(stems)] == []
