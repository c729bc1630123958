"""Worked examples whose seats were published by others: our methods must reproduce them."""

import pytest

from veche.seats import Method, allocate


def test_dhondt_cordoba_spanish_general_election_november_2019() -> None:
    # Congreso de los Diputados, Córdoba province, 6 seats, 10 November 2019. Votes of the four
    # candidatures that won seats (as quoted by arithmosblog.wordpress.com); the official result
    # (Diario Córdoba, "PSOE gana, baja, PP sube...") is PSOE 2, PP 2, Vox 1, Unidas Podemos 1,
    # with Cs fifth and seatless. The sixth seat went to PP's second quotient, 49,883, over
    # PSOE's third, 48,722: the seat "was PSOE's until 92% of the count".
    votes = {"PSOE": 146_166, "PP": 99_766, "Vox": 82_162, "UP": 64_111}
    allocation = allocate(votes, 6, Method.DHONDT)
    assert dict(allocation.seats) == {"PSOE": 2, "PP": 2, "Vox": 1, "UP": 1}
    assert allocation.ties == ()


def test_sainte_lague_new_zealand_2020_election_night() -> None:
    # New Zealand general election, 17 October 2020, 120 seats allocated by Sainte-Laguë among
    # the parties over 5% or with an electorate seat (the Māori Party won Waiariki). Party votes
    # and seats from the Electoral Commission's election-night release of 18 October 2020
    # (scoop.co.nz PO2010/S00218): Labour 64, National 35, ACT 10, Green 10, Māori 1.
    votes = {
        "Labour": 1_169_397,
        "National": 638_393,
        "ACT": 190_106,
        "Green": 180_224,
        "Maori": 23_938,
    }
    allocation = allocate(votes, 120, Method.SAINTE_LAGUE)
    assert dict(allocation.seats) == {
        "Labour": 64,
        "National": 35,
        "ACT": 10,
        "Green": 10,
        "Maori": 1,
    }


TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Method.DHONDT, {"A": 4, "B": 3, "C": 1, "D": 0}),
        (Method.SAINTE_LAGUE, {"A": 3, "B": 3, "C": 1, "D": 1}),
    ],
)
def test_highest_averages_textbook_example(method: Method, expected: dict[str, int]) -> None:
    # Textbook example (Wikipedia, "D'Hondt method"), 8 seats. Under Sainte-Laguë A's third
    # quotient and D's first are both 20,000 and both win a seat: a tie above the cut decides
    # nothing, so none is reported.
    allocation = allocate(TEXTBOOK, 8, method)
    assert dict(allocation.seats) == expected
    assert allocation.ties == ()


LARGEST_REMAINDER = {
    "Yellows": 47_000,
    "Whites": 16_000,
    "Reds": 15_800,
    "Greens": 12_000,
    "Blues": 6_100,
    "Pinks": 3_100,
}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Method.HARE, {"Yellows": 5, "Whites": 2, "Reds": 1, "Greens": 1, "Blues": 1, "Pinks": 0}),
        (Method.DROOP, {"Yellows": 5, "Whites": 2, "Reds": 2, "Greens": 1, "Blues": 0, "Pinks": 0}),
    ],
)
def test_largest_remainder_textbook_example(method: Method, expected: dict[str, int]) -> None:
    # Textbook example (Wikipedia, "Largest remainder method"), 10 seats, 100,000 votes: Hare
    # quota 10,000, Droop quota 9,091. Droop's smaller quota moves the Blues' seat to the Reds.
    assert dict(allocate(LARGEST_REMAINDER, 10, method).seats) == expected
