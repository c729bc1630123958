"""The result record: votes and seats per district, the national list, the parliament.

The record is a deterministic function of public data (the ballots on chain, the definition,
the exclusions in force), made of structured fields only: integers, booleans, null, names
copied from the definition or the chain, and reasons as fixed codes. It holds no sentence, no
rounded or decimal number and nothing a particular language prints its own way: an exact
fraction is `{"numerator", "denominator"}`, and no name is ever an object key (all keys are
fixed ASCII words, so sorting them is the same in every language). Sentences for people
(`veche.recount.report`, the observers' page) are rendered from it and never hashed.

Serialisation is canonical (sorted keys, no whitespace, UTF-8, integers only), so every
recounter gets the same bytes and the same keccak256: the organizer publishes that hash on
chain after the appeals period, and anyone can check it. docs/PROTOCOL.md gives the layout byte
for byte with a worked example.

Each ballot on chain is exactly one of: counted (the voter's latest ballot, in a district that
is not excluded), excluded (the voter's latest ballot, in a district excluded on appeal: its
seats stay vacant and its votes do not enter the national list), superseded (replaced by the
same voter's later ballot) or rejected (refused by the rules; the contract refuses these, so a
rejected ballot on chain is a finding).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from eth_utils import keccak

from veche.definition.model import District, ElectionDefinition, PartyList
from veche.model import Tally
from veche.seats import allocate
from veche.seats.errors import AllBelowThreshold, NoVotes
from veche.seats.result import TieNote

FORMAT = "veche-result/2"


class Vacancy(StrEnum):
    """Why seats of a district (or of the national list) are not filled: a code in the record."""

    EXCLUDED = "excluded"
    """The district was excluded on appeal."""
    BELOW_MINIMUM = "below-minimum"
    """Fewer voters registered than the district's minimum: voting never opened there."""
    NO_VOTES = "no-votes"
    """No ballot was counted."""
    ALL_BELOW_THRESHOLD = "all-below-threshold"
    """No list reached the threshold."""
    TOO_FEW_CANDIDATES = "too-few-candidates"
    """Lists won more seats than they have candidates."""


class ExclusionSource(StrEnum):
    """Who excluded a district from this count."""

    APPEAL = "appeal"
    """The organizer, on chain during the appeals period (`DistrictExcluded`)."""
    RECOUNT = "recount"
    """Whoever ran the recount (`--exclude`): a what-if, never the published result."""


@dataclass(frozen=True)
class Exclusion:
    """An exclusion in force at the count: the district's id, who decided it and, for an
    appeal, the reason and the evidence's hash exactly as the chain holds them."""

    district: str
    source: ExclusionSource
    reason: str | None = None
    evidence_hash: str | None = None


@dataclass(frozen=True)
class BallotCounts:
    """What the ballot box did with the ballots that are not (or no longer) current."""

    superseded: int
    rejected: Mapping[str, int]
    """Rejected ballots per reason code (`veche.model.Rejection` values)."""


def build_result(
    *,
    election: str,
    chain_id: int,
    definition: ElectionDefinition,
    definition_hash: bytes,
    tallies: Sequence[Tally],
    registered: Sequence[int],
    exclusions: Sequence[Exclusion],
    ballots: BallotCounts,
) -> dict[str, Any]:
    """The result record (before canonical serialisation)."""
    excluded = {exclusion.district for exclusion in exclusions}
    districts = [
        _district(definition, district, tally, members, district.id in excluded)
        for district, tally, members in zip(definition.districts, tallies, registered, strict=True)
    ]
    national = None
    if definition.national is not None:
        national_votes: dict[str, int] = {}
        for record in districts:
            for row in record["lists"]:
                national_votes[row["name"]] = national_votes.get(row["name"], 0) + row["votes"]
        seats = definition.national.seats
        national = {
            "seats": seats,
            **_count(definition, definition.national.lists, national_votes, seats),
        }
    parts = [*districts, *([] if national is None else [national])]
    counted = sum(d["ballots"]["counted"] for d in districts)
    excluded_ballots = sum(d["ballots"]["excluded"] for d in districts)
    rejected = sum(ballots.rejected.values())
    return {
        "format": FORMAT,
        "election": election.lower(),
        "chainId": chain_id,
        "definitionHash": "0x" + definition_hash.hex(),
        "title": definition.title,
        "method": definition.method.value,
        "registered": sum(registered),
        "ballots": {
            "seen": counted + excluded_ballots + ballots.superseded + rejected,
            "counted": counted,
            "excluded": excluded_ballots,
            "superseded": ballots.superseded,
            "rejected": rejected,
            "rejectedReasons": [
                {"reason": reason, "ballots": ballots.rejected[reason]}
                for reason in sorted(ballots.rejected)
            ],
        },
        "exclusions": [
            {
                "district": e.district,
                "source": e.source.value,
                "reason": e.reason,
                "evidenceHash": e.evidence_hash,
            }
            for e in exclusions
        ],
        "districts": districts,
        "national": national,
        "parliament": _parliament(parts),
        "members": [
            {"name": name, "list": row["name"], "district": district["id"]}
            for district in districts
            for row in district["lists"]
            for name in row["elected"]
        ]
        + (
            []
            if national is None
            else [
                {"name": name, "list": row["name"], "district": None}
                for row in national["lists"]
                for name in row["elected"]
            ]
        ),
        "totalSeats": definition.total_seats,
        "vacantSeats": sum(part["vacantSeats"] for part in parts),
    }


def _district(
    definition: ElectionDefinition,
    district: District,
    tally: Tally,
    registered: int,
    excluded: bool,
) -> dict[str, Any]:
    header = {
        "id": district.id,
        "name": district.name,
        "seats": district.seats,
        "registered": registered,
        "excluded": excluded,
        "ballots": {
            "counted": 0 if excluded else tally.total,
            "excluded": tally.total if excluded else 0,
        },
    }
    if excluded:
        return {**header, **_unfilled(district.lists, district.seats, Vacancy.EXCLUDED)}
    votes = {lst.name: v for lst, v in zip(district.lists, tally.votes, strict=True)}
    if registered < district.min_registered:
        return {**header, **_unfilled(district.lists, district.seats, Vacancy.BELOW_MINIMUM)}
    return {**header, **_count(definition, district.lists, votes, district.seats)}


def _count(
    definition: ElectionDefinition,
    lists: Sequence[PartyList],
    votes: Mapping[str, int],
    seats: int,
) -> dict[str, Any]:
    """Allocates `seats` among `lists` by the definition's method; seats that cannot be filled
    are left vacant with the reason's code."""
    order = [party.name for party in lists]
    counted = {name: votes.get(name, 0) for name in order}
    try:
        allocation = allocate(
            counted,
            seats,
            definition.method,
            definition.threshold_percent,
            order,
            definition.tie_break,
        )
    except NoVotes:
        return _unfilled(lists, seats, Vacancy.NO_VOTES)
    except AllBelowThreshold:
        return _unfilled(lists, seats, Vacancy.ALL_BELOW_THRESHOLD, counted)
    rows = []
    short = 0
    for party in lists:
        won = allocation.seats[party.name]
        rows.append(
            {
                "name": party.name,
                "votes": counted[party.name],
                "eligible": party.name in allocation.eligible,
                "seats": won,
                "elected": list(party.candidates[:won]),
            }
        )
        short += max(0, won - len(party.candidates))
    return {
        "lists": rows,
        "vacantSeats": short,
        "vacancy": Vacancy.TOO_FEW_CANDIDATES.value if short else None,
        "ties": [_tie(note) for note in allocation.ties],
    }


def _unfilled(
    lists: Sequence[PartyList],
    seats: int,
    reason: Vacancy,
    votes: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    return {
        "lists": [
            {
                "name": party.name,
                "votes": 0 if votes is None else votes[party.name],
                "eligible": False,
                "seats": 0,
                "elected": [],
            }
            for party in lists
        ],
        "vacantSeats": seats,
        "vacancy": reason.value,
        "ties": [],
    }


def _tie(note: TieNote) -> dict[str, Any]:
    """A seat decided by the tie-break rule, as data: the rendered sentence is not hashed."""
    return {
        "seat": note.seat,
        "winner": note.winner,
        "losers": list(note.losers),
        "value": fraction(note.value),
        "decidedBy": "more-votes" if note.decided_by == "more votes" else "ballot-order",
    }


def fraction(value: Fraction) -> dict[str, int]:
    """An exact rational as two integers (the denominator is 1 for a whole number)."""
    return {"numerator": value.numerator, "denominator": value.denominator}


def _parliament(parts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Filled seats per list over all districts and the national list (a seat won by a list
    without a candidate left stays vacant), each list once, in the order it first appears in the
    definition (no name sorting: languages sort strings differently)."""
    seats: dict[str, int] = {}
    for part in parts:
        for row in part["lists"]:
            seats[row["name"]] = seats.get(row["name"], 0) + len(row["elected"])
    return [{"list": name, "seats": won} for name, won in seats.items()]


def canonical_result(result: Mapping[str, Any]) -> bytes:
    """The bytes whose keccak256 the organizer publishes: JSON with keys sorted, no whitespace,
    UTF-8 (no `\\u` escapes but those JSON requires), as JavaScript's `JSON.stringify` of the
    same object with its keys sorted."""
    text = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def result_hash(result: Mapping[str, Any]) -> bytes:
    """keccak256 of `canonical_result(result)`, the `bytes32` published on chain."""
    return bytes(keccak(canonical_result(result)))
