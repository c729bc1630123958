"""The result of an election: votes and seats per district, the national list, the parliament.

The result record is a deterministic function of public data (the counted ballots, the
definition, the exclusions in force), serialised canonically (sorted keys, no whitespace,
UTF-8) so that every recounter gets the same bytes and the same keccak256: the organizer
publishes that hash on chain after the appeals period, and anyone can check it.

An excluded district (appeals: proven fraud) counts no votes: its seats stay vacant and its
votes do not enter the national list.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_utils import keccak

from veche.definition.model import ElectionDefinition, PartyList
from veche.model import Tally
from veche.seats import allocate
from veche.seats.errors import SeatError

FORMAT = "veche-result/1"


@dataclass(frozen=True)
class Exclusion:
    """An exclusion in force at the count: the district's id, and why."""

    district: str
    reason: str
    evidence_hash: str


def _seats(
    definition: ElectionDefinition,
    lists: Sequence[PartyList],
    votes: Mapping[str, int],
    seats: int,
) -> dict[str, Any]:
    """Allocates `seats` by the definition's method; a count with no eligible votes leaves
    them vacant and says why."""
    order = [party.name for party in lists]
    try:
        allocation = allocate(
            {name: votes.get(name, 0) for name in order},
            seats,
            definition.method,
            definition.threshold_percent,
            order,
            definition.tie_break,
        )
    except SeatError as exc:
        return {
            "seats": dict.fromkeys(order, 0),
            "elected": [],
            "vacant": seats,
            "note": str(exc),
            "ties": [],
        }
    elected = []
    short = 0
    for party in lists:
        won = allocation.seats[party.name]
        elected += [{"list": party.name, "name": name} for name in party.candidates[:won]]
        short += max(0, won - len(party.candidates))
    return {
        "seats": dict(allocation.seats),
        "elected": elected,
        "vacant": short,
        "note": f"{short} seat(s) won by lists with too few candidates" if short else None,
        "ties": [tie.describe() for tie in allocation.ties],
    }


def build_result(
    *,
    election: str,
    chain_id: int,
    definition: ElectionDefinition,
    definition_hash: bytes,
    tallies: Sequence[Tally],
    registered: Sequence[int],
    exclusions: Sequence[Exclusion],
) -> dict[str, Any]:
    """The result record (before canonical serialisation)."""
    excluded = {exclusion.district for exclusion in exclusions}
    districts = []
    national_votes: dict[str, int] = {}
    parliament: dict[str, int] = {}
    for district, tally, members in zip(definition.districts, tallies, registered, strict=True):
        is_excluded = district.id in excluded
        votes = {
            lst.name: (0 if is_excluded else v)
            for lst, v in zip(district.lists, tally.votes, strict=True)
        }
        if is_excluded:
            allocation: dict[str, Any] = {
                "seats": {lst.name: 0 for lst in district.lists},
                "elected": [],
                "vacant": district.seats,
                "note": "district excluded on appeal: its seats are not filled by this count",
                "ties": [],
            }
        else:
            allocation = _seats(definition, district.lists, votes, district.seats)
            for name, count in votes.items():
                national_votes[name] = national_votes.get(name, 0) + count
        for name, won in allocation["seats"].items():
            parliament[name] = parliament.get(name, 0) + won
        districts.append(
            {
                "id": district.id,
                "name": district.name,
                "registered": members,
                "excluded": is_excluded,
                "counted": 0 if is_excluded else tally.total,
                "tally": [{"label": lst.name, "votes": votes[lst.name]} for lst in district.lists],
                **allocation,
            }
        )
    national = None
    if definition.national is not None:
        national_lists = definition.national.lists
        national_tally = {lst.name: national_votes.get(lst.name, 0) for lst in national_lists}
        national = {
            "tally": [{"label": name, "votes": votes} for name, votes in national_tally.items()],
            **_seats(definition, national_lists, national_tally, definition.national.seats),
        }
        for name, won in national["seats"].items():
            parliament[name] = parliament.get(name, 0) + won
    return {
        "format": FORMAT,
        "election": election,
        "chainId": chain_id,
        "title": definition.title,
        "definitionHash": "0x" + definition_hash.hex(),
        "method": definition.method.value,
        "exclusions": [
            {"district": e.district, "reason": e.reason, "evidenceHash": e.evidence_hash}
            for e in exclusions
        ],
        "districts": districts,
        "national": national,
        "parliament": dict(sorted(parliament.items(), key=lambda item: (-item[1], item[0]))),
        "members": [
            {**member, "district": district["id"]}
            for district in districts
            for member in district["elected"]
        ]
        + ([] if national is None else [{**m, "district": None} for m in national["elected"]]),
        "totalSeats": definition.total_seats,
        "vacantSeats": sum(d["vacant"] for d in districts)
        + (0 if national is None else national["vacant"]),
    }


def canonical_result(result: Mapping[str, Any]) -> bytes:
    """The bytes whose keccak256 the organizer publishes."""
    text = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def result_hash(result: Mapping[str, Any]) -> bytes:
    return bytes(keccak(canonical_result(result)))
