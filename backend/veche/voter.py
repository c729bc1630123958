"""The voter's side, for scripts: build a ballot from public data alone, prove it, send it.

The voter's device downloads the whole register (every `MemberAdded` event) and finds its own
Merkle path locally; asking a server for "my path" would tell that server who is about to vote.
It also finds its own earlier ballots by scanning all `BallotCast` events, never by asking for
its nullifier, which would link the asker's network address to a ballot.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from veche.chain.election import ElectionContract
from veche.crypto.hashing import message_signal, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.errors import VecheError

MAX_DEPTH = 20


class NotRegistered(VecheError):
    """The identity's commitment is not in the election's register."""


class RelayerError(VecheError):
    """The relayer refused the ballot or could not be reached; `code` is its error code."""

    def __init__(self, code: str, detail: str, status: int | None = None) -> None:
        self.code = code
        self.detail = detail
        self.status = status
        super().__init__(f"relayer refused the ballot: {detail} ({code})")


@dataclass(frozen=True)
class PublicState:
    """What a voter downloads before voting: the register and the ballots cast so far."""

    register: LeanIMT
    scope: int
    revisions: dict[int, int]
    """Highest revision seen per nullifier."""

    @classmethod
    def download(cls, election: ElectionContract) -> "PublicState":
        register = LeanIMT()
        register.insert_many([m.commitment for m in election.member_events()])
        revisions: dict[int, int] = {}
        for ballot in election.ballot_events():
            revisions[ballot.nullifier] = max(revisions.get(ballot.nullifier, 0), ballot.revision)
        return cls(register, election.scope(), revisions)


def circuit_input(
    state: PublicState, identity: Identity, choice: int, revision: int
) -> dict[str, Any]:
    """The Semaphore circuit's input for `identity`'s ballot (see docs/PROTOCOL.md)."""
    if not state.register.has(identity.commitment):
        raise NotRegistered("this identity is not in the election's register")
    proof = state.register.proof_of(identity.commitment)
    return {
        "secret": identity.secret_scalar,
        "merkleProofLength": proof.length,
        "merkleProofIndex": proof.index,
        "merkleProofSiblings": proof.padded_siblings(MAX_DEPTH),
        "message": message_signal(choice, revision),
        "scope": semaphore_hash(state.scope),
    }


def next_revision(state: PublicState, identity: Identity) -> int:
    return state.revisions.get(identity.nullifier(semaphore_hash(state.scope)), 0) + 1


def ballot_request(
    election_address: str, choice: int, revision: int, proved: dict[str, Any]
) -> dict[str, Any]:
    """The relayer's `POST /ballots` body for a proof returned by the prover."""
    from veche.crypto.groth16 import Proof

    packed = Proof.from_snarkjs(proved["proof"]).packed()
    return {
        "election": election_address,
        "choice": choice,
        "revision": revision,
        "proof": [str(v) for v in packed],
        "publicSignals": [str(v) for v in proved["publicSignals"]],
    }


def prepare_ballots(
    election: ElectionContract,
    votes: Sequence[tuple[Identity, int]],
    prover: Prover,
    state: PublicState | None = None,
) -> list[dict[str, Any]]:
    """Proves one ballot per `(identity, choice)`, each at that voter's next revision."""
    state = state or PublicState.download(election)
    revisions = [next_revision(state, identity) for identity, _ in votes]
    inputs = [
        circuit_input(state, identity, choice, revision)
        for (identity, choice), revision in zip(votes, revisions, strict=True)
    ]
    proved = prover.prove_many(inputs)
    return [
        ballot_request(election.address, choice, revision, result)
        for (_, choice), revision, result in zip(votes, revisions, proved, strict=True)
    ]


def send_ballot(client: httpx.Client, relayer_url: str, body: dict[str, Any]) -> dict[str, Any]:
    """Posts a ballot to a relayer; returns its receipt or raises `RelayerError`."""
    try:
        response = client.post(f"{relayer_url.rstrip('/')}/ballots", json=body, timeout=60)
    except httpx.HTTPError as exc:
        raise RelayerError("relayer_unreachable", f"cannot reach {relayer_url}") from exc
    payload = _json(response)
    if response.status_code != 200:
        raise RelayerError(
            str(payload.get("error", "http_error")),
            str(payload.get("detail", response.text[:200])),
            response.status_code,
        )
    return payload


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
