"""The example definitions shipped in `examples/` are valid and say what they mean."""

from fractions import Fraction
from pathlib import Path

import pytest

from veche.definition import check, load
from veche.seats import Method, TieBreak

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["demo.toml", "diaspora-2027.toml"])
def test_example_has_no_problems(name: str) -> None:
    assert check(EXAMPLES / name) == []


def test_demo_has_three_districts_and_seven_seats() -> None:
    demo = load(EXAMPLES / "demo.toml")
    assert [d.id for d in demo.districts] == ["north", "south", "east"]
    assert [d.seats for d in demo.districts] == [3, 2, 2]
    assert demo.total_seats == 7
    assert demo.national is None
    assert demo.method is Method.DHONDT
    assert demo.threshold_percent == Fraction(5)
    assert demo.tie_break is TieBreak.MORE_VOTES_THEN_BALLOT_ORDER
    assert [p.name for p in demo.district("north").lists] == [
        "Green Harbour",
        "Common Cause",
        "Open Borders",
    ]


def test_diaspora_parliament_has_five_districts_and_a_national_list() -> None:
    parliament = load(EXAMPLES / "diaspora-2027.toml")
    assert len(parliament.districts) == 5
    assert parliament.district_seats == 37
    assert parliament.national is not None and parliament.national.seats == 13
    assert parliament.total_seats == 50
    assert all(d.min_registered >= 1000 for d in parliament.districts)
