"""A tiny election with real Groth16 proofs, for testing the reference model without a chain."""

from dataclasses import dataclass
from typing import Any

import pytest

from veche.crypto.groth16 import Proof
from veche.crypto.hashing import election_scope
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.keys import verification_key_path
from veche.model import Ballot, Calendar, DistrictRules, ElectionRules
from veche.model.proofs import load_check
from veche.voter import ballot_input

CALENDAR = Calendar(1_000, 2_000, 2_000, 3_000, 4_000)
SCOPE = election_scope(31337, "0x" + "11" * 20)
OTHER_SCOPE = election_scope(31337, "0x" + "22" * 20)


@dataclass(frozen=True)
class TinyElection:
    voters: list[Identity]
    register: LeanIMT
    rules: ElectionRules

    def ballot(
        self,
        prover: Prover,
        voter: Identity,
        choice: int,
        revision: int,
        district: int = 0,
        **changes: Any,
    ) -> Ballot:
        """A really proven ballot; `changes` overrides fields after proving (to forge one)."""
        scope = changes.pop("scope", SCOPE)
        register = changes.pop("register", None) or self.register
        proved = prover.prove(ballot_input(register, scope, voter, district, choice, revision))
        signals = [int(s) for s in proved["publicSignals"]]
        fields = {
            "nullifier": signals[1],
            "district": district,
            "choice": choice,
            "revision": revision,
            "merkle_root": signals[0],
            "proof": tuple(Proof.from_snarkjs(proved["proof"]).packed()),
            "cast_at": CALENDAR.voting_start + 10,
        }
        fields.update(changes)
        return Ballot(**fields)


@pytest.fixture(scope="session")
def prover() -> Prover:
    with Prover() as running:
        yield running


@pytest.fixture(scope="session")
def tiny() -> TinyElection:
    voters = [Identity.from_private_key(bytes([i + 1]) * 32) for i in range(5)]
    register = LeanIMT()
    register.insert_many([v.commitment for v in voters])
    rules = ElectionRules(CALENDAR, SCOPE, (DistrictRules(3, register.root, 5, 3),))
    return TinyElection(voters, register, rules)


@pytest.fixture(scope="session")
def proof_ok():
    return load_check(verification_key_path())
