"""Checks a ballot with the reference model, then submits it from the relayer's account.

The off-chain check runs first so that a bad ballot costs the relayer nothing; the contract
checks everything again, so a relayer that skipped this step could waste its own gas but could
never get a bad ballot counted.
"""

from collections.abc import Sequence
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.hashing import pack_message, semaphore_hash
from veche.errors import ChainError, ContractRevert
from veche.model import Ballot, Rejection, check_ballot
from veche.model.rules import ProofCheck
from veche.relayer.elections import ElectionDirectory, ElectionView
from veche.relayer.errors import RelayerRefusal, refusal_for
from veche.relayer.schemas import BallotRequest, Receipt

# Custom errors of `castBallot` and the model's reasons they correspond to.
_REVERT_REJECTION = {
    "VotingClosed": Rejection.VOTING_CLOSED,
    "UnknownChoice": Rejection.UNKNOWN_CHOICE,
    "RootMismatch": Rejection.ROOT_MISMATCH,
    "StaleRevision": Rejection.STALE_REVISION,
    "InvalidProof": Rejection.INVALID_PROOF,
}


def _field_elements(values: Sequence[str], what: str) -> list[int]:
    numbers = [int(v) for v in values]
    for number in numbers:
        if number >= SNARK_SCALAR_FIELD:
            raise RelayerRefusal(400, "malformed", f"{what} has a value not below the field order")
    return numbers


class BallotService:
    """The relayer's one job: turn a valid ballot into a transaction, and nothing else."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        directory: ElectionDirectory,
        proof_ok: ProofCheck,
        ballot_gas: int,
    ) -> None:
        self._w3 = w3
        self._account = account
        self._directory = directory
        self._proof_ok = proof_ok
        self._ballot_gas = ballot_gas

    def now(self) -> int:
        try:
            return int(self._w3.eth.get_block("latest")["timestamp"])
        except Exception as exc:
            raise RelayerRefusal(502, "chain_unavailable", "the chain cannot be reached") from exc

    def check(self, request: BallotRequest) -> tuple[ElectionView, Ballot]:
        """Refuses `request` with a specific reason, or returns the ballot ready to submit."""
        now = self.now()
        view = self._directory.get(request.election, now)
        proof = _field_elements(request.proof, "proof")
        root, nullifier, message_signal, scope_signal = _field_elements(
            request.publicSignals, "publicSignals"
        )
        if scope_signal != view.scope_signal:
            raise RelayerRefusal(422, "scope_mismatch", "the proof was made for another election")
        if message_signal != semaphore_hash(pack_message(request.choice, request.revision)):
            raise RelayerRefusal(
                422, "message_mismatch", "the proof was made for another choice or revision"
            )
        ballot = Ballot(nullifier, request.choice, request.revision, root, tuple(proof), now)
        stored = view.contract.ballot_of(nullifier).revision
        rejection = check_ballot(view.rules, ballot, stored, self._proof_ok)
        if rejection is not None:
            raise refusal_for(rejection)
        return view, ballot

    def submit(self, request: BallotRequest) -> Receipt:
        view, ballot = self.check(request)
        try:
            # `cast_ballot` orders this account's nonces itself and simulates before sending.
            receipt = view.contract.cast_ballot(
                self._account,
                ballot.merkle_root,
                ballot.nullifier,
                ballot.choice,
                ballot.revision,
                list(ballot.proof),
                gas=self._ballot_gas,
            )
        except ContractRevert as exc:
            rejection = _REVERT_REJECTION.get(exc.name)
            if rejection is not None:
                raise refusal_for(rejection) from exc
            raise RelayerRefusal(422, "refused_by_contract", str(exc)) from exc
        except ChainError as exc:
            raise RelayerRefusal(502, "chain_unavailable", str(exc)) from exc
        block = self._w3.eth.get_block(receipt["blockNumber"])
        return Receipt(
            election=view.contract.address,
            nullifier=str(ballot.nullifier),
            choice=ballot.choice,
            revision=ballot.revision,
            transactionHash="0x" + bytes(receipt["transactionHash"]).hex(),
            blockNumber=int(receipt["blockNumber"]),
            castAt=int(block["timestamp"]),
        )

    def lookup(self, election: str, nullifier: int) -> Receipt:
        """The ballot currently counted for `nullifier`, read from the chain."""
        view = self._directory.get(election, self.now())
        stored = view.contract.ballot_of(nullifier)
        if stored.revision == 0:
            raise RelayerRefusal(404, "no_ballot", "no ballot is counted for this nullifier")
        event = _latest_ballot_log(view, nullifier)
        return Receipt(
            election=view.contract.address,
            nullifier=str(nullifier),
            choice=stored.choice,
            revision=stored.revision,
            transactionHash="0x" + bytes(event["transactionHash"]).hex(),
            blockNumber=int(event["blockNumber"]),
            castAt=stored.cast_at,
        )


def _latest_ballot_log(view: ElectionView, nullifier: int) -> Any:
    """The last `BallotCast` log for `nullifier` (the nullifier is an indexed topic)."""
    logs = view.contract.contract.events.BallotCast.get_logs(
        argument_filters={"nullifier": nullifier}, from_block=0
    )
    if not logs:
        raise RelayerRefusal(404, "no_ballot", "no ballot is counted for this nullifier")
    return logs[-1]
