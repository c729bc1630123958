# ruff: noqa: RUF001 (Cyrillic test inputs on purpose)
"""Normalization of a person's attributes: one person gives one string whichever registrar
types it, in Cyrillic or Latin, in any case, with or without diacritics and settlement words."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.dedup.errors import InvalidAttribute
from veche.dedup.normalize import (
    normalize_date,
    normalize_name,
    normalize_place,
    normalize_text,
)
from veche.dedup.person import Person


@pytest.mark.parametrize(
    "spellings",
    [
        pytest.param(["Иванов", "IVANOV", "ivanov", " Ivanov  "], id="cyrillic-and-icao"),
        pytest.param(["Юрий", "ЮРИЙ", "YURIY", "IURII", "Jurij"], id="old-transliterations"),
        pytest.param(["Алексей", "ALEKSEI", "Alexey", "ALEKSEY"], id="x-and-y"),
        pytest.param(["Елена", "ELENA", "Yelena"], id="initial-ye"),
        pytest.param(["Щукин", "SHCHUKIN"], id="shch"),
        pytest.param(["Ёлкин", "Елкин", "ELKIN"], id="yo"),
        pytest.param(["Петров-Водкин", "PETROV VODKIN", "petrov–vodkin"], id="hyphen"),
        pytest.param(["Müller", "MULLER", "Mu\u0308ller"], id="diacritics"),
        pytest.param(["Ｉｖａｎ", "Ivan"], id="full-width"),
        pytest.param(["Łukasz", "Lukasz"], id="letters-without-decomposition"),
    ],
)
def test_spellings_of_one_name_normalize_alike(spellings: list[str]) -> None:
    assert len({normalize_name(spelling) for spelling in spellings}) == 1


def test_different_names_stay_different() -> None:
    names = ["Иванов", "Иваново", "Петров", "Petrova", "Ivanova"]
    assert len({normalize_name(name) for name in names}) == len(names)


@pytest.mark.parametrize(
    "spellings",
    [
        ["г. Москва", "Москва", "MOSKVA", "гор. Москва, СССР", "MOSKVA / RUSSIA", "gorod Moskva"],
        ["Санкт-Петербург", "SANKT-PETERBURG", "g. Sankt Peterburg"],
        ["с. Архангельское", "selo Arkhangelskoe", "ARKHANGELSKOE"],
    ],
)
def test_places_drop_settlement_words_and_countries(spellings: list[str]) -> None:
    assert len({normalize_place(spelling) for spelling in spellings}) == 1


def test_a_person_typed_in_cyrillic_or_latin_has_one_canonical_form() -> None:
    cyrillic = Person("Иванов", "Иван Иванович", "1980-05-17", "г. Москва")
    latin = Person("IVANOV", "IVAN IVANOVICH", "1980-05-17", "MOSKVA")
    assert cyrillic.canonical() == latin.canonical()
    assert (
        cyrillic.canonical()
        != Person("Иванов", "Иван Иванович", "1980-05-18", "Москва").canonical()
    )


def test_a_person_never_shows_its_attributes() -> None:
    assert "Иванов" not in repr(Person("Иванов", "Иван", "1980-05-17", "Москва"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17.05.1980", "YYYY-MM-DD"),
        ("1980-02-30", "not a date"),
        ("1899-12-31", "plausible"),
        ("2999-01-01", "plausible"),
    ],
)
def test_birth_dates_must_be_real_iso_dates(text: str, message: str) -> None:
    with pytest.raises(InvalidAttribute, match=message):
        normalize_date(text)
    assert normalize_date(" 1980-05-17 ") == "1980-05-17"


@pytest.mark.parametrize("text", ["", "  ", "---", "'"])
def test_a_name_needs_a_letter(text: str) -> None:
    with pytest.raises(InvalidAttribute, match="at least one letter"):
        normalize_name(text)


def test_a_place_needs_a_settlement_name() -> None:
    with pytest.raises(InvalidAttribute, match="settlement"):
        normalize_place("г. СССР")


@given(st.text())
@settings(max_examples=400, deadline=None)
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and "  " not in once


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙ -.ABCxyzjw'", min_size=1))
@settings(max_examples=300, deadline=None)
def test_place_normalization_is_idempotent(text: str) -> None:
    try:
        once = normalize_place(text)
    except InvalidAttribute:
        return
    assert normalize_place(once) == once


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1))
@settings(max_examples=300, deadline=None)
def test_cyrillic_and_its_upper_case_and_transliteration_normalize_alike(text: str) -> None:
    assert normalize_text(text) == normalize_text(text.upper())
    assert normalize_text(text) == normalize_text(normalize_text(text).upper())
