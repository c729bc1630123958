"""Generates the Russian word list of the key backup (frontend/src/lib/words/ru.json).

BIP39 has no Russian list. This one is made the same way a person would pick one: the 2,048
most frequent Russian common nouns (wordfreq's Russian data), in their dictionary form
(pymorphy3), 4 to 8 letters of the Russian alphabet without ё and й (so that typing, Unicode
normalisation and keyboards cannot change a word), no names of people or places, and no two
words sharing their first four letters (so four letters are always enough to restore a word).

Needs the optional `wordlist` packages (pyproject.toml): `pip install wordfreq==3.1.1
pymorphy3==2.0.6`, then `python scripts/wordlist_ru.py`. The output is sorted, so that the word
for a number is found by its position; tests/unit/test_backup_words.py checks its properties.
"""

import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "frontend" / "src" / "lib" / "words" / "ru.json"
SIZE = 2048
LETTERS = re.compile(r"^[абвгдежзиклмнопрстуфхцчшщъыьэюя]{4,8}$")
EXCLUDED_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Infr", "Slng", "Arch",
                 "Erro", "Dist", "Fixd", "Obsc"}  # fmt: skip
PREFIX = 4

BLOCKED = frozenset(
    """
    алкоголь армия болезнь бомба бомж бунт бюст винтовка власть водка выбор голос грудь депутат
    дурак жертва задница идиот измена казнь кремль кровь могила оружие партия полиция прокурор
    пытка пьяница ракета секс ссылка террор тюрьма хунта чума шлюха шпион говно дебил дерьмо
    жопа сволочь смерть сука труп ублюдок урод член хулиган война убийца убийство арест расстрел
    теракт допрос агент предатель нацист фашист митинг протест санкция налог солдат танк патрон
    пистолет автомат наркотик наркоман гроб кладбище похороны насилие раб рабство понос моча
    вирус рак бибер фига черт дьявол демон труба гадость мразь падаль подонок гнида скотина
    резня гибель девка вебер истерика навоз кишечник тошнота суицид фифа аборт идиотка христос
    фриц немец финн уорд гага библия кокаин героин гашиш
    """.split()
)
"""Words a voter should not have to write on paper or say aloud: vulgar, insulting, violent,
deadly or political (a backup sheet is found by other people, sometimes at a border)."""


def main() -> None:
    import pymorphy3
    from wordfreq import top_n_list

    morph = pymorphy3.MorphAnalyzer()
    chosen: list[str] = []
    prefixes: set[str] = set()
    for word in top_n_list("ru", 200_000):
        if not LETTERS.match(word) or word in BLOCKED or word[:PREFIX] in prefixes:
            continue
        if not morph.word_is_known(word):  # a dictionary word, not a guess from its ending
            continue
        parse = morph.parse(word)[0]
        tag = parse.tag
        if tag.POS != "NOUN" or parse.normal_form != word or parse.score < 0.5:
            continue
        if "nomn" not in tag or "sing" not in tag or EXCLUDED_TAGS & set(tag.grammemes):
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
