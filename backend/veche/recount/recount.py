"""Rebuilds every register and the ballot box from an election's logs, checks that the chain
agrees, and computes the result under the published definition.

Nothing here trusts the chain's own bookkeeping: roots, member counts and stored ballots are
recomputed from the logs and compared with what the contract says, and every ballot's proof is
verified again off-chain with the verification key whose constants the on-chain verifier holds.
"""

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web3 import Web3

from veche.chain.election import ElectionContract
from veche.crypto.imt import LeanIMT
from veche.definition.canonical import definition_hash
from veche.definition.model import ElectionDefinition
from veche.errors import VecheError
from veche.model import Ballot, BallotBox, Calendar, DistrictRules, ElectionRules
from veche.model.proofs import load_check
from veche.recount.result import Exclusion, build_result, result_hash


class DefinitionMismatch(VecheError):
    """The definition file is not the one the election was deployed with."""


class UnknownDistrictId(VecheError):
    """`--exclude` names a district the definition does not have."""


@dataclass
class RecountResult:
    """Everything a recount found; `verified` is true only if nothing disagreed."""

    election: str
    chain_id: int
    calendar: Calendar
    registered: list[int]
    box: BallotBox
    result: dict[str, Any]
    result_hash: bytes
    published_hash: bytes | None
    exclusions_on_chain: list[Exclusion]
    discrepancies: list[str] = field(default_factory=list)
    verifier_matches_key: bool = False
    verification_key_sha256: str = ""
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return self.verifier_matches_key and not self.discrepancies

    @property
    def published_matches(self) -> bool | None:
        """True/False once a result is published on chain; None before."""
        return None if self.published_hash is None else self.published_hash == self.result_hash

    def record(self) -> dict[str, Any]:
        """The recount record (JSON): the result plus how it was checked."""
        box = self.box
        return {
            "election": self.election,
            "chainId": self.chain_id,
            "calendar": dict(zip(_CALENDAR_KEYS, self.calendar.as_tuple(), strict=True)),
            "registered": sum(self.registered),
            "verificationKeySha256": self.verification_key_sha256,
            "verifierMatchesKey": self.verifier_matches_key,
            "ballots": {
                "seen": box.seen,
                "counted": len(box.current),
                "superseded": len(box.superseded),
                "rejected": len(box.rejected),
                "rejectedReasons": box.rejection_counts(),
            },
            "exclusionsOnChain": [e.district for e in self.exclusions_on_chain],
            "result": self.result,
            "resultHash": "0x" + self.result_hash.hex(),
            "publishedResultHash": None
            if self.published_hash is None
            else "0x" + self.published_hash.hex(),
            "publishedMatches": self.published_matches,
            "discrepancies": self.discrepancies,
            "verified": self.verified,
            "seconds": round(self.seconds, 3),
        }


_CALENDAR_KEYS = ("registrationStart", "registrationEnd", "votingStart", "votingEnd", "appealsEnd")


def recount(
    w3: Web3,
    address: str,
    definition: ElectionDefinition,
    verification_key: Path,
    *,
    exclude: Iterable[str] = (),
    ignore_exclusions: bool = False,
) -> RecountResult:
    """Recounts the election at `address` from its logs under `definition`.

    `exclude` adds exclusions (district ids) to those in force on chain, and
    `ignore_exclusions` drops the chain's: both let anyone see what an appeal changed.
    """
    started = time.perf_counter()
    contract = ElectionContract(w3, address)  # refuses an address without an Election
    expected = definition_hash(definition)
    if contract.definition_hash() != expected:
        raise DefinitionMismatch(
            f"the definition hashes to 0x{expected.hex()}, but the election was deployed with "
            f"0x{contract.definition_hash().hex()}: refusing to count under other rules"
        )
    ids = [district.id for district in definition.districts]
    for district_id in exclude:
        if district_id not in ids:
            raise UnknownDistrictId(f"--exclude {district_id}: no such district ({', '.join(ids)})")
    discrepancies: list[str] = []
    states = contract.districts()
    if len(states) != len(ids):
        discrepancies.append(f"the contract has {len(states)} districts, the definition {len(ids)}")

    registers = _rebuild_registers(contract, len(states), discrepancies)
    for number, (register, state) in enumerate(zip(registers, states, strict=True)):
        if (register.root, register.size) != (state.merkle_root, state.member_count):
            discrepancies.append(
                f"district {number}: rebuilt register (root {register.root}, {register.size} "
                f"members) differs from the contract's ({state.merkle_root}, "
                f"{state.member_count})"
            )

    calendar = contract.calendar()
    if calendar != definition.calendar.on_chain:
        discrepancies.append("the contract's calendar differs from the definition's")
    rules = ElectionRules(
        calendar,
        contract.scope(),
        tuple(
            DistrictRules(state.option_count, register.root, register.size, state.minimum_members)
            for state, register in zip(states, registers, strict=True)
        ),
    )
    key_bytes = verification_key.read_bytes()
    box = BallotBox(rules, load_check(verification_key))
    for event in contract.ballot_events():
        outcome = box.cast(
            Ballot(
                event.nullifier,
                event.district,
                event.choice,
                event.revision,
                event.merkle_root,
                tuple(event.proof),
                event.block_timestamp,
            )
        )
        if not outcome.accepted:
            discrepancies.append(
                f"the chain accepted a ballot the rules refuse ({outcome.rejection}) in "
                f"transaction {event.tx_hash.to_0x_hex()}"
            )
    discrepancies.extend(_compare_ballots(contract, box))

    on_chain = _exclusions_in_force(contract, ids, states, discrepancies)
    applied = [] if ignore_exclusions else list(on_chain)
    applied += [
        Exclusion(d, "excluded for this recount (--exclude)", "")
        for d in exclude
        if d not in {e.district for e in applied}
    ]
    chain_id = int(w3.eth.chain_id)
    result = build_result(
        election=contract.address,
        chain_id=chain_id,
        definition=definition,
        definition_hash=expected,
        tallies=box.tallies(),
        registered=[register.size for register in registers],
        exclusions=sorted(applied, key=lambda e: ids.index(e.district)),
    )
    return RecountResult(
        election=contract.address,
        chain_id=chain_id,
        calendar=calendar,
        registered=[register.size for register in registers],
        box=box,
        result=result,
        result_hash=result_hash(result),
        published_hash=contract.result_hash(),
        exclusions_on_chain=on_chain,
        discrepancies=discrepancies,
        verifier_matches_key=_verifier_holds_key(w3, contract, json.loads(key_bytes)),
        verification_key_sha256=hashlib.sha256(key_bytes).hexdigest(),
        seconds=time.perf_counter() - started,
    )


def _rebuild_registers(
    contract: ElectionContract, count: int, discrepancies: list[str]
) -> list[LeanIMT]:
    leaves: list[list[int]] = [[] for _ in range(count)]
    seen_tags: set[bytes] = set()
    seen_commitments: set[int] = set()
    for member in contract.member_events():
        # The contract refuses both; a recount checks rather than trusts it.
        if member.tag in seen_tags:
            discrepancies.append(f"person tag 0x{member.tag.hex()} is registered twice")
        if member.commitment in seen_commitments:
            discrepancies.append(f"commitment {member.commitment} is registered twice")
        seen_tags.add(member.tag)
        seen_commitments.add(member.commitment)
        if not 0 <= member.district < count:
            discrepancies.append(f"a member was added to unknown district {member.district}")
            continue
        if member.index != len(leaves[member.district]):
            discrepancies.append(
                f"district {member.district}: member event {len(leaves[member.district])} "
                f"has index {member.index}"
            )
        leaves[member.district].append(member.commitment)
    return [LeanIMT(district_leaves) for district_leaves in leaves]


def _exclusions_in_force(
    contract: ElectionContract,
    ids: Sequence[str],
    states: Sequence[Any],
    discrepancies: list[str],
) -> list[Exclusion]:
    """Replays every exclusion and restoration; the last word on each district stands."""
    standing: dict[int, Exclusion] = {}
    for change in contract.exclusion_events():
        if not 0 <= change.district < len(ids):
            discrepancies.append(f"an appeal names unknown district {change.district}")
            continue
        if change.excluded:
            evidence = "0x" + (change.evidence_hash or b"").hex()
            standing[change.district] = Exclusion(ids[change.district], change.reason, evidence)
        else:
            standing.pop(change.district, None)
    for number, state in enumerate(states):
        if state.excluded != (number in standing):
            discrepancies.append(f"district {number}: exclusion events and state disagree")
    return [standing[number] for number in sorted(standing)]


def _compare_ballots(contract: ElectionContract, box: BallotBox) -> list[str]:
    """The contract's own stored ballots must be exactly the ones the model counts."""
    found = []
    if contract.ballot_count() != len(box.current):
        found.append(
            f"the contract counts {contract.ballot_count()} voters, the recount {len(box.current)}"
        )
    for nullifier, ballot in box.current.items():
        stored = contract.ballot_of(nullifier)
        if (stored.district, stored.choice, stored.revision) != (
            ballot.district,
            ballot.choice,
            ballot.revision,
        ):
            found.append(f"nullifier {nullifier}: chain has revision {stored.revision}")
    return found


def _verifier_holds_key(w3: Web3, contract: ElectionContract, key: dict[str, Any]) -> bool:
    """True if the election's verifier has every constant of the verification key in its code.

    A snarkjs verifier carries the key's curve points as constants (PUSH immediates). Finding
    each one in the deployed code shows the chain checked proofs against the key this recount
    uses, without trusting a compiler or a copy of the contract's source.
    """
    code = bytes(w3.eth.get_code(contract.verifier()))
    if not code:
        return False
    numbers = [
        *key["vk_alpha_1"][:2],
        *(c for pair in key["vk_beta_2"][:2] for c in pair),
        *(c for pair in key["vk_gamma_2"][:2] for c in pair),
        *(c for pair in key["vk_delta_2"][:2] for c in pair),
        *(c for point in key["IC"] for c in point[:2]),
    ]
    return all(_minimal_bytes(int(n)) in code for n in numbers)


def _minimal_bytes(number: int) -> bytes:
    """Big-endian bytes without leading zeros: how a PUSH instruction carries a constant."""
    return number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
