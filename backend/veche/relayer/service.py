"""Checks a ballot with the reference model, stores it durably, and answers for it later.

The off-chain check runs first so that a bad ballot costs the relayer nothing; the contract
checks everything again, so a relayer that skipped this step could waste its own gas but could
never get a bad ballot counted. Sending is the worker's job (`worker.py`).
"""

from collections.abc import Sequence

from web3 import Web3

from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.hashing import message_signal
from veche.model import Ballot, Rejection, check_ballot
from veche.model.rules import ProofCheck
from veche.relayer.elections import ElectionDirectory
from veche.relayer.errors import RelayerRefusal, refusal_for
from veche.relayer.schemas import Acceptance, BallotRequest, BallotStatus, Counted
from veche.relayer.store import Status, Store, Submission
from veche.relayer.worker import Worker


def _field_elements(values: Sequence[str], what: str) -> list[int]:
    numbers = [int(v) for v in values]
    if any(number >= SNARK_SCALAR_FIELD for number in numbers):
        raise RelayerRefusal(400, "malformed", f"{what} has a value not below the field order")
    return numbers


def acceptance(submission: Submission) -> Acceptance:
    return Acceptance(
        election=submission.election,
        nullifier=str(submission.nullifier),
        district=submission.district,
        choice=submission.choice,
        revision=submission.revision,
        status=submission.status,
        transactionHash=submission.tx_hash,
        blockNumber=submission.block_number,
        reason=submission.reason,
    )


class BallotService:
    """The relayer's one job: accept valid ballots durably, and nothing else."""

    def __init__(
        self,
        w3: Web3,
        directory: ElectionDirectory,
        proof_ok: ProofCheck,
        store: Store,
        worker: Worker,
    ) -> None:
        self._w3 = w3
        self._directory = directory
        self._proof_ok = proof_ok
        self._store = store
        self._worker = worker

    def now(self) -> int:
        try:
            return int(self._w3.eth.get_block("latest")["timestamp"])
        except Exception as exc:
            raise RelayerRefusal(502, "chain_unavailable", "the chain cannot be reached") from exc

    def accept(self, request: BallotRequest) -> Acceptance:
        """Checks `request` and stores it; an identical resubmission gets the same answer."""
        proof = _field_elements(request.proof, "proof")
        root, nullifier, message, scope_signal = _field_elements(
            request.publicSignals, "publicSignals"
        )
        view = self._directory.get(request.election, self.now)
        now = self.now()
        candidate = Submission(
            id=0,
            election=view.contract.address,
            nullifier=nullifier,
            district=request.district,
            choice=request.choice,
            revision=request.revision,
            merkle_root=root,
            proof=tuple(proof),
            status=Status.QUEUED,
        )
        known = self._store.find(candidate.election, nullifier, request.revision)
        if known is not None:
            if not known.same_ballot(candidate):
                raise RelayerRefusal(
                    409, "stale_revision", "another ballot with this revision was already accepted"
                )
            latest = self._store.latest(candidate.election, nullifier)
            if latest is None or latest.revision == known.revision:
                return acceptance(known)  # a retry of the latest accepted ballot: idempotent
            raise refusal_for(Rejection.STALE_REVISION)  # a replay of a superseded ballot
        if scope_signal != view.scope_signal:
            raise RelayerRefusal(422, "scope_mismatch", "the proof was made for another election")
        if message != message_signal(request.choice, request.revision, request.district):
            raise RelayerRefusal(
                422,
                "message_mismatch",
                "the proof was made for another district, choice or revision",
            )
        ballot = Ballot(
            nullifier, request.district, request.choice, request.revision, root, tuple(proof), now
        )
        stored = max(
            view.contract.ballot_of(nullifier).revision,
            self._store.highest_pending_revision(candidate.election, nullifier),
        )
        rejection = check_ballot(view.rules, ballot, stored, self._proof_ok)
        if rejection is not None:
            raise refusal_for(rejection)
        submission, _ = self._store.add(candidate)
        self._worker.wake()
        return acceptance(submission)

    def status(self, election: str, nullifier: int) -> BallotStatus:
        """What this relayer did with the voter's latest ballot, and what the chain counts."""
        view = self._directory.get(election, self.now)
        submission = self._store.latest(view.contract.address, nullifier)
        stored = view.contract.ballot_of(nullifier)
        counted = None
        if stored.revision:
            if (
                submission is not None
                and submission.revision == stored.revision
                and submission.tx_hash is not None
                and submission.block_number is not None
            ):
                tx_hash, block = submission.tx_hash, submission.block_number
            else:  # counted from another relayer or account: find its transaction in the logs
                logs = view.contract.contract.events.BallotCast.get_logs(
                    argument_filters={"nullifier": nullifier}, from_block=0
                )
                tx_hash, block = logs[-1]["transactionHash"].to_0x_hex(), logs[-1]["blockNumber"]
            counted = Counted(
                district=stored.district,
                choice=stored.choice,
                revision=stored.revision,
                castAt=stored.cast_at,
                transactionHash=tx_hash,
                blockNumber=block,
            )
        if submission is None and counted is None:
            raise RelayerRefusal(404, "no_ballot", "no ballot is known for this nullifier")
        return BallotStatus(
            election=view.contract.address,
            nullifier=str(nullifier),
            submission=None if submission is None else acceptance(submission),
            counted=counted,
        )
