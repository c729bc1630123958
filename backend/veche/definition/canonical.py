"""The canonical form of a definition and its hash, the one stored on chain at deploy.

Canonical JSON: the definition as a JSON object with sorted keys, no whitespace, UTF-8 (not
`\\u` escapes), strings NFC-normalised, times as integer Unix seconds, the threshold as an exact
decimal string (`"5"`, `"3.5"`) or null, lists and candidates in ballot order, and a `format`
field naming this layout. Comments, key order, quoting and date-time notation in the TOML file
change nothing; any change to a rule, a name, a seat count, an order, a time or the pinned
verification key's hash changes the hash. `verification_key_sha256` appears only when the
definition pins a key, `ballot_mode` only when it is not the default "verified", and
`recovery_approvals` only when it sets one, and `ballot_secrecy` with `election_key_sha256` (the
sha256 of the election key file's bytes; the file's path is not hashed) only when the ballots
are encrypted, so that a definition without them keeps its hash (and the hash still pins the
mode, the secrecy and the threshold: absent = verified, plain, and the spec's default).

`definition_hash` = keccak256(canonical JSON), the same keccak256 as Solidity's, so that the
recount can refuse a definition whose hash differs from the one the Election contract holds.
"""

import json
from fractions import Fraction
from typing import Any

from eth_utils import keccak

from veche.definition.model import ElectionDefinition, PartyList
from veche.protocol.records import BallotMode, BallotSecrecy

FORMAT = "veche-definition/1"


def canonical_object(definition: ElectionDefinition) -> dict[str, Any]:
    """The definition as plain JSON values, before serialisation."""
    national = definition.national
    pinned: dict[str, Any] = (
        {}
        if definition.verification_key_sha256 is None
        else {"verification_key_sha256": definition.verification_key_sha256}
    )
    if definition.ballot_mode is not BallotMode.VERIFIED:
        pinned = pinned | {"ballot_mode": definition.ballot_mode.value}
    if definition.recovery_approvals is not None:
        pinned["recovery_approvals"] = definition.recovery_approvals
    if definition.ballot_secrecy is not BallotSecrecy.PLAIN:
        pinned["ballot_secrecy"] = definition.ballot_secrecy.value
        pinned["election_key_sha256"] = definition.election_key_sha256
    return pinned | {
        "format": FORMAT,
        "title": definition.title,
        "method": definition.method.value,
        "threshold_percent": _decimal(definition.threshold_percent),
        "tie_break": definition.tie_break.value,
        "calendar": definition.calendar.times(),
        "districts": [
            {
                "id": district.id,
                "name": district.name,
                "seats": district.seats,
                "min_registered": district.min_registered,
                "lists": _lists(district.lists),
            }
            for district in definition.districts
        ],
        "national": None
        if national is None
        else {"seats": national.seats, "lists": _lists(national.lists)},
    }


def canonical_json(definition: ElectionDefinition) -> bytes:
    """The canonical JSON bytes that `definition_hash` hashes."""
    text = json.dumps(
        canonical_object(definition), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")


def definition_hash(definition: ElectionDefinition) -> bytes:
    """keccak256 of the canonical JSON: 32 bytes, the `bytes32` stored on chain."""
    return bytes(keccak(canonical_json(definition)))


def _lists(lists: tuple[PartyList, ...]) -> list[dict[str, Any]]:
    return [{"name": party.name, "candidates": list(party.candidates)} for party in lists]


def _decimal(value: Fraction | None) -> str | None:
    """An exact decimal string of a fraction whose denominator divides a power of ten (parse
    accepts only decimal input, so every threshold has one)."""
    if value is None:
        return None
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        raise ValueError(f"threshold {value} has no exact decimal form")
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    scaled = value.numerator * 10**places // value.denominator
    if places == 0:
        return str(scaled)
    whole, frac = divmod(scaled, 10**places)
    return f"{whole}.{frac:0{places}d}"
