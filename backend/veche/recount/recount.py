"""Rebuilds the register and the ballot box from an election's logs and checks the chain agrees."""

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web3 import Web3

from veche.chain.election import ElectionContract
from veche.crypto.imt import LeanIMT
from veche.model import Ballot, BallotBox, Calendar, ElectionRules, Tally
from veche.model.proofs import load_check


@dataclass
class RecountResult:
    """Everything a recount found; `verified` is true only if nothing disagreed."""

    election: str
    chain_id: int
    options: list[str]
    calendar: Calendar
    members: int
    merkle_root: int
    box: BallotBox
    tally: Tally
    discrepancies: list[str] = field(default_factory=list)
    verifier_matches_key: bool = False
    verification_key_sha256: str = ""
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return self.verifier_matches_key and not self.discrepancies

    def record(self) -> dict[str, Any]:
        """The JSON record of the recount (stable field names: observers diff these)."""
        box = self.box
        return {
            "election": self.election,
            "chainId": self.chain_id,
            "calendar": {
                "registrationStart": self.calendar.registration_start,
                "registrationEnd": self.calendar.registration_end,
                "votingStart": self.calendar.voting_start,
                "votingEnd": self.calendar.voting_end,
            },
            "register": {"members": self.members, "merkleRoot": str(self.merkle_root)},
            "verificationKeySha256": self.verification_key_sha256,
            "verifierMatchesKey": self.verifier_matches_key,
            "ballots": {
                "seen": box.seen,
                "counted": len(box.current),
                "superseded": len(box.superseded),
                "rejected": len(box.rejected),
                "rejectedReasons": box.rejection_counts(),
            },
            "tally": [
                {"option": label, "votes": votes}
                for label, votes in zip(self.options, self.tally.votes, strict=True)
            ],
            "winners": [self.options[i] for i in self.tally.winners()],
            "discrepancies": self.discrepancies,
            "verified": self.verified,
            "seconds": round(self.seconds, 3),
        }


def recount(w3: Web3, address: str, verification_key: Path) -> RecountResult:
    """Recounts the election at `address` from its logs, checking each proof off-chain."""
    started = time.perf_counter()
    contract = ElectionContract(w3, address)  # refuses an address without an Election
    calendar = contract.calendar()
    options = contract.options()
    discrepancies: list[str] = []

    register = LeanIMT()
    members = contract.member_events()
    for expected_index, member in enumerate(members):
        if member.index != expected_index:
            discrepancies.append(f"register event {expected_index} has index {member.index}")
    register.insert_many([m.commitment for m in members])
    chain_root = contract.merkle_root()
    if register.root != chain_root:
        discrepancies.append(
            f"rebuilt register root {register.root} differs from the contract's {chain_root}"
        )
    if register.size != contract.member_count():
        discrepancies.append(
            f"rebuilt register has {register.size} members, the contract {contract.member_count()}"
        )

    key_bytes = verification_key.read_bytes()
    rules = ElectionRules(len(options), calendar, contract.scope(), register.root)
    box = BallotBox(rules, load_check(verification_key))
    for event in contract.ballot_events():
        outcome = box.cast(
            Ballot(
                event.nullifier,
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
    discrepancies.extend(_compare_with_chain(contract, box))

    return RecountResult(
        election=contract.address,
        chain_id=int(w3.eth.chain_id),
        options=options,
        calendar=calendar,
        members=register.size,
        merkle_root=register.root,
        box=box,
        tally=box.tally(),
        discrepancies=discrepancies,
        verifier_matches_key=_verifier_holds_key(w3, contract, json.loads(key_bytes)),
        verification_key_sha256=hashlib.sha256(key_bytes).hexdigest(),
        seconds=time.perf_counter() - started,
    )


def _compare_with_chain(contract: ElectionContract, box: BallotBox) -> list[str]:
    """The contract's own stored ballots must be exactly the ones the model counts."""
    found = []
    if contract.ballot_count() != len(box.current):
        found.append(
            f"the contract counts {contract.ballot_count()} voters, the recount {len(box.current)}"
        )
    for nullifier, ballot in box.current.items():
        stored = contract.ballot_of(nullifier)
        if (stored.choice, stored.revision) != (ballot.choice, ballot.revision):
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
