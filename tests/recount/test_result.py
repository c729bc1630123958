"""The hashed result record is language-neutral data: numbers, names and codes, never a sentence,
a Python repr or a rounded number; and every ballot is in exactly one of counted, excluded,
superseded and rejected."""

import json
from typing import Any

import pytest

from tests.definition.texts import VALID
from veche.definition import parse_text
from veche.model import Tally
from veche.recount.report import tie_sentence
from veche.recount.result import (
    BallotCounts,
    Exclusion,
    ExclusionSource,
    build_result,
    canonical_result,
)

TEXT = (
    VALID[: VALID.index("[[districts]]")]
    + """\
[[districts]]
id = "north"
name = "North"
seats = 3
min_registered = 3

  [[districts.lists]]
  name = "Alpha 'A'"
  candidates = ["Anna A", "Boris B"]

  [[districts.lists]]
  name = "Beta"
  candidates = ["Vera V", "Gleb G"]

  [[districts.lists]]
  name = "Gamma"
  candidates = ["Dina D"]

[[districts]]
id = "south"
name = "South"
seats = 1
min_registered = 3

  [[districts.lists]]
  name = "Alpha 'A'"
  candidates = ["Egor E"]

[[districts]]
id = "east"
name = "East"
seats = 2
min_registered = 3

  [[districts.lists]]
  name = "Beta"
  candidates = ["Zoya Z", "Ivan I"]

[[districts]]
id = "west"
name = "West"
seats = 1
min_registered = 50

  [[districts.lists]]
  name = "Beta"
  candidates = ["Kira K"]

[national]
seats = 1

  [[national.lists]]
  name = "Beta"
  candidates = ["Lev L"]
"""
)

NORTH = (3, 3, 0)
"""D'Hondt, 3 seats: quotients 3, 3, then 3/2 and 3/2: the third seat is a tie at 3/2, equal
votes, so ballot order gives it to Alpha 'A'."""


EAST = Exclusion("east", ExclusionSource.APPEAL, "fraud", "0x" + "ab" * 32)


def _record(
    north: tuple[int, ...] = NORTH,
    exclusions: tuple[Exclusion, ...] = (EAST,),
) -> dict[str, Any]:
    definition, problems = parse_text(TEXT)
    assert definition is not None, problems
    return build_result(
        election="0x" + "Ab" * 20,
        chain_id=31337,
        definition=definition,
        definition_hash=bytes(range(32)),
        tallies=[Tally(north), Tally((0,)), Tally((5,)), Tally((0,))],
        registered=[10, 4, 6, 2],
        exclusions=list(exclusions),
        ballots=BallotCounts(superseded=2, rejected={"invalid_proof": 1}),
    )


def _walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in _walk(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in _walk(v, f"{path}[{i}]")]
    return [(path, value)]


def test_a_tie_is_recorded_as_data_with_an_exact_fraction() -> None:
    north = _record()["districts"][0]
    assert north["ties"] == [
        {
            "seat": 3,
            "winner": "Alpha 'A'",
            "losers": ["Beta"],
            "value": {"numerator": 3, "denominator": 2},
            "decidedBy": "ballot-order",
        }
    ]
    assert [row["seats"] for row in north["lists"]] == [2, 1, 0]
    # The sentence is rendered for people, from the data, outside the hashed bytes.
    sentence = tie_sentence(north["ties"][0])
    assert sentence == (
        "seat 3 went to “Alpha 'A'” by the tie-break rule (ballot order) over “Beta”, all at 3/2"
    )
    assert sentence.encode() not in canonical_result(_record())


def test_the_hashed_record_holds_only_integers_booleans_null_and_names_or_codes() -> None:
    record = _record()
    for path, value in _walk(record):
        assert value is None or isinstance(value, (bool, int, str)), (path, value)
        assert not isinstance(value, float), path
    text = canonical_result(record).decode()
    for python_only in ("Fraction", "~", "seat(s)", "went to", "threshold (", "'Beta'"):
        assert python_only not in text


def test_every_key_is_a_fixed_ascii_word_never_a_name() -> None:
    names = {"Alpha 'A'", "Beta", "Gamma", "North", "South", "East", "West"}

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    found = keys(_record())
    assert not found & names
    assert all(key.isascii() and key.isalnum() for key in found), found


def test_an_excluded_districts_ballots_are_excluded_not_counted() -> None:
    record = _record()
    east = record["districts"][2]
    assert east["ballots"] == {"counted": 0, "excluded": 5}
    assert [row["votes"] for row in east["lists"]] == [0]
    assert (east["vacantSeats"], east["vacancy"]) == (2, "excluded")
    assert record["ballots"] == {
        "seen": 6 + 5 + 2 + 1,
        "counted": 6,
        "excluded": 5,
        "superseded": 2,
        "rejected": 1,
        "rejectedReasons": [{"reason": "invalid_proof", "ballots": 1}],
    }
    assert record["ballots"]["counted"] == sum(d["ballots"]["counted"] for d in record["districts"])
    # East's votes do not reach the national list either: Beta has North's 3 only.
    assert record["national"]["lists"] == [
        {"name": "Beta", "votes": 3, "eligible": True, "seats": 1, "elected": ["Lev L"]}
    ]


@pytest.mark.parametrize(
    ("north", "reason"),
    [((0, 0, 0), "no-votes"), ((1, 1, 0), None)],
)
def test_vacancies_carry_a_code(north: tuple[int, ...], reason: str | None) -> None:
    record = _record(north)
    assert record["districts"][0]["vacancy"] == reason
    assert record["districts"][1]["vacancy"] == "no-votes"  # South: registered, nobody voted
    assert record["districts"][3]["vacancy"] == "below-minimum"  # West: 2 of 50 registered


def test_a_list_below_the_threshold_is_not_eligible() -> None:
    north = _record((20, 10, 1))["districts"][0]
    assert [row["eligible"] for row in north["lists"]] == [True, True, False]


def test_too_few_candidates_leaves_a_seat_vacant_with_its_code() -> None:
    north = _record((1, 0, 9))["districts"][0]
    assert [row["seats"] for row in north["lists"]] == [0, 0, 3]
    assert north["lists"][2]["elected"] == ["Dina D"]
    assert (north["vacantSeats"], north["vacancy"]) == (2, "too-few-candidates")
    # The parliament counts the seats filled: Gamma won 3 and fills 1.
    record = _record((1, 0, 9))
    assert {"list": "Gamma", "seats": 1} in record["parliament"]
    assert record["totalSeats"] - record["vacantSeats"] == sum(
        row["seats"] for row in record["parliament"]
    )


def test_a_recount_option_exclusion_has_no_reason_text() -> None:
    record = _record(exclusions=(Exclusion("east", ExclusionSource.RECOUNT),))
    assert record["exclusions"] == [
        {"district": "east", "source": "recount", "reason": None, "evidenceHash": None}
    ]


def test_parliament_is_in_definition_order_and_addresses_are_lowercase() -> None:
    record = _record()
    assert record["parliament"] == [
        {"list": "Alpha 'A'", "seats": 2},
        {"list": "Beta", "seats": 2},
        {"list": "Gamma", "seats": 0},
    ]
    assert record["election"] == "0x" + "ab" * 20


def test_canonical_bytes_are_sorted_compact_utf8() -> None:
    record = _record()
    assert (
        canonical_result(record)
        == json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert b'"chainId":31337,"definitionHash":' in canonical_result(record)
