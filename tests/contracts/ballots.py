"""Real ballots for contract tests: Semaphore identities, register paths and Groth16 proofs."""

from dataclasses import dataclass, replace
from typing import Any

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

from veche.chain.election import ElectionContract
from veche.crypto.groth16 import Proof
from veche.crypto.hashing import message_signal, scope_signal
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.registrar.recovery import current_register

VOTER_KEYS = (
    bytes(32),
    bytes(range(1, 33)),
    bytes([0xFF] * 32),
    b"veche contract test voter 4",
    b"veche contract test voter 5",
)


@dataclass(frozen=True)
class Voter:
    """A voter's identity; only its commitment ever reaches the chain."""

    identity: Identity

    @property
    def commitment(self) -> int:
        return self.identity.commitment


@dataclass(frozen=True)
class Ballot:
    """The arguments of `castBallot`."""

    district: int
    merkle_root: int
    nullifier: int
    choice: int
    revision: int
    proof: tuple[int, ...]

    def cast(self, election: ElectionContract, sender: LocalAccount) -> TxReceipt:
        return election.cast_ballot(
            sender,
            self.district,
            self.merkle_root,
            self.nullifier,
            self.choice,
            self.revision,
            self.proof,
        )

    def claiming(self, **changes: Any) -> "Ballot":
        """The same proof presented with other public values (a forgery attempt)."""
        return replace(self, **changes)


def make_ballot(
    prover: Prover,
    election: ElectionContract,
    voter: Voter,
    district: int,
    choice: int,
    revision: int,
    *,
    message_district: int | None = None,
    register: LeanIMT | None = None,
) -> Ballot:
    """Proves `voter`'s ballot against `district`'s current register, as a voter's app does.

    `message_district` puts another district into the proven message (a forgery attempt);
    `register` proves against another register than the chain's (a stale one, say).
    """
    if register is None:
        register = current_register(election, district)  # replacements applied
    path = register.proof_of(voter.commitment)
    bound = district if message_district is None else message_district
    result = prover.prove(
        {
            "secret": voter.identity.secret_scalar,
            "merkleProofLength": path.length,
            "merkleProofIndex": path.index,
            "merkleProofSiblings": path.padded_siblings(),
            "message": message_signal(choice, revision, bound),
            "scope": scope_signal(election.scope()),
        }
    )
    root, nullifier = (int(signal) for signal in result["publicSignals"][:2])
    return Ballot(
        district=district,
        merkle_root=root,
        nullifier=nullifier,
        choice=choice,
        revision=revision,
        proof=tuple(Proof.from_snarkjs(result["proof"]).packed()),
    )
