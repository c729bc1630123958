"""Checks a ballot with the reference model, stores it durably, and answers for it later.

Where the checks happen, and why:
- As the request arrives (`submit`, in the server's event loop), everything that needs nothing
  but the ballot and the election's fixed rules: field ranges, the proof's scope and message,
  and the proof's points (on the curve, B in the G2 subgroup), read straight into MCL's points.
- In one intake thread, in arrival order, everything else, for all the ballots that arrived
  together: the relayer's own record (a resubmission gets the same answer), the chain's time and
  the revision it holds for each voter (one JSON-RPC batch request for the whole group), the
  model's rules (`check_ballot`), and the Groth16 proofs, checked together with one random linear
  combination (`batch_verify`, about a quarter of the cost of one check each; a group that fails
  is halved until each bad proof is found). The valid ballots are then stored in one SQLite
  transaction, and each voter hears "202" only once that transaction is on disk.
- The proof is checked before the 202, not later in the submitting worker: an acknowledged ballot
  must be one that will count, a voter with a bad proof must hear so at once, and a bad proof
  must never occupy a voter's nullifier and revision in the store, nor travel in a batch where it
  would make the contract refuse the valid ballots with it.

The contract checks everything again, so a relayer that skipped a check could waste its own gas
but could never get a bad ballot counted. Sending is the worker's job (`worker.py`).
"""

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import partial

from web3 import Web3

from veche.chain.election import Ballot as StoredBallot
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof, VerifyingKey, batch_verify, parse_packed
from veche.crypto.hashing import message_signal
from veche.model import Ballot, Rejection, check_ballot
from veche.relayer.elections import ElectionDirectory, ElectionView
from veche.relayer.errors import RelayerRefusal, refusal_for
from veche.relayer.lookup import counted_transaction
from veche.relayer.reads import ChainReads
from veche.relayer.schemas import Acceptance, BallotRequest, BallotStatus, Counted
from veche.relayer.store import Status, Store, Submission
from veche.relayer.worker import Worker

log = logging.getLogger("veche.relayer.service")

INTAKE_BATCH = 256
"""The most ballots checked and stored together."""

ANSWER_SECONDS = 60.0
"""A request whose ballot is not decided in this time is answered 503 (and may be retried)."""


def _field_elements(values: Sequence[str], what: str) -> list[int]:
    numbers = [int(v) for v in values]
    if any(number >= SNARK_SCALAR_FIELD for number in numbers):
        raise RelayerRefusal("malformed", f"{what} has a value not below the field order")
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


@dataclass
class _Arrival:
    """A ballot that passed the request thread's checks, waiting for the intake thread."""

    view: ElectionView
    candidate: Submission
    proof: Proof
    signals: list[int]
    answer: "Future[Acceptance]" = field(default_factory=Future)

    @property
    def voter(self) -> tuple[str, int]:
        return self.candidate.election, self.candidate.nullifier

    @property
    def slot(self) -> tuple[str, int, int]:
        return self.candidate.election, self.candidate.nullifier, self.candidate.revision


class _CheckedInBatch:
    """The `ProofCheck` given to `check_ballot` by the intake: it notes the public signals the
    model derived and lets the rules run on; the proofs of all the ballots that pass the rules
    are then verified together by `batch_verify`, before anything is stored."""

    def __init__(self) -> None:
        self.signals: list[int] | None = None

    def __call__(self, _packed: Sequence[int], signals: Sequence[int]) -> bool:
        self.signals = list(signals)
        return True


class BallotService:
    """The relayer's one job: accept valid ballots durably, and nothing else."""

    def __init__(
        self,
        w3: Web3,
        directory: ElectionDirectory,
        verifying_key: VerifyingKey,
        store: Store,
        worker: Worker,
        reads: ChainReads,
        encrypted_key: Callable[[], VerifyingKey] | None = None,
    ) -> None:
        self._w3 = w3
        self._directory = directory
        self._vk = verifying_key
        self._store = store
        self._worker = worker
        self._reads = reads
        self._encrypted_vk = encrypted_key
        self._arrivals: queue.SimpleQueue[_Arrival | None] = queue.SimpleQueue()
        self._intake = threading.Thread(target=self._run, name="veche-intake", daemon=True)

    def start(self) -> None:
        self._intake.start()

    def _encrypted_key(self) -> VerifyingKey:
        """The encrypted ballot circuit's verification key (loaded on the first encrypted
        ballot); a relayer not given one refuses encrypted ballots."""
        if self._encrypted_vk is None:
            raise RelayerRefusal("malformed", "this relayer does not take encrypted ballots")
        return self._encrypted_vk()

    def stop(self) -> None:
        self._arrivals.put(None)
        self._intake.join(10)

    def now(self) -> int:
        try:
            return int(self._w3.eth.get_block("latest")["timestamp"])
        except Exception as exc:
            raise RelayerRefusal("chain_unavailable", "the chain cannot be reached") from exc

    # --- accepting -----------------------------------------------------------------------------

    def knows(self, election: str) -> bool:
        """Whether `election` is cached, so that `submit` needs no call to the chain."""
        return self._directory.cached(election)

    def submit(self, request: BallotRequest) -> "Future[Acceptance]":
        """Runs the checks that need only the ballot and hands it to the intake; the future
        ends with the answer: an `Acceptance`, or a `RelayerRefusal`. Raises `RelayerRefusal`
        at once for a ballot refused by these first checks. Calls the chain only when the
        election is not cached yet (`knows`)."""
        packed = _field_elements(request.proof, "proof")
        signals = _field_elements(request.publicSignals, "publicSignals")
        view = self._directory.get(request.election, self.now)
        if request.encrypted and self._encrypted_vk is None:
            raise RelayerRefusal("malformed", "this relayer does not take encrypted ballots")
        if request.encrypted != view.encrypted:
            raise RelayerRefusal(
                "malformed",
                "this election's ballots are encrypted: send the ciphertext's 39 public signals "
                "and no choice"
                if view.encrypted
                else "this election's ballots are plain: send the choice and 4 public signals",
            )
        root, nullifier = signals[0], signals[1]
        message, scope_signal = (signals[-3], signals[-2]) if request.encrypted else signals[2:4]
        if scope_signal != view.scope_signal:
            raise RelayerRefusal("scope_mismatch")
        if message != message_signal(request.choice or 0, request.revision, request.district):
            raise RelayerRefusal("message_mismatch")
        ciphertext = b""
        if request.encrypted:
            if not 0 <= request.district < len(view.rules.districts):
                raise refusal_for(Rejection.UNKNOWN_DISTRICT)
            if signals[-1] != view.rules.districts[request.district].option_count:
                raise RelayerRefusal("malformed", "the proof is made for another number of options")
            ciphertext = b"".join(c.to_bytes(32, "big") for c in signals[2:-3])
        proof = parse_packed(packed)  # points on the curve, B in the G2 subgroup
        if proof is None:
            raise refusal_for(Rejection.INVALID_PROOF)
        arrival = _Arrival(
            view,
            Submission(
                id=0,
                election=view.contract.address,
                nullifier=nullifier,
                district=request.district,
                choice=request.choice,
                revision=request.revision,
                merkle_root=root,
                proof=tuple(packed),
                status=Status.QUEUED,
                ciphertext=ciphertext,
            ),
            proof,
            signals,
        )
        self._arrivals.put(arrival)
        return arrival.answer

    def accept(self, request: BallotRequest) -> Acceptance:
        """Checks `request` and stores it; an identical resubmission gets the same answer."""
        try:
            return self.submit(request).result(timeout=ANSWER_SECONDS)
        except FutureTimeout:
            raise RelayerRefusal("busy") from None

    def _run(self) -> None:
        while True:
            first = self._arrivals.get()
            if first is None:
                return
            group = [first]
            while len(group) < INTAKE_BATCH:
                try:
                    following = self._arrivals.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    self._arrivals.put(None)
                    break
                group.append(following)
            try:
                self._decide(group)
            except RelayerRefusal as refusal:
                for arrival in group:
                    if not arrival.answer.done():
                        arrival.answer.set_exception(refusal)
            except Exception as exc:  # answered as 500, never left hanging
                log.error("intake failed: %s", type(exc).__name__)
                for arrival in group:
                    if not arrival.answer.done():
                        arrival.answer.set_exception(exc)

    def _decide(self, group: list[_Arrival]) -> None:
        """Answers every arrival of `group`: the known ones from the store, the new ones after
        the rules, the batched proof check and one durable commit."""
        fresh = []
        for arrival in group:
            known = self._store.find(*arrival.slot)
            if known is None:
                fresh.append(arrival)
            else:
                _settle(arrival.answer, partial(self._known, known, arrival))
        if not fresh:
            return
        chain = self._reads.state([arrival.voter for arrival in fresh])
        ruled: list[_Arrival] = []
        first_of_slot: dict[tuple[str, int, int], _Arrival] = {}
        twins: list[tuple[_Arrival, _Arrival]] = []
        revisions: dict[tuple[str, int], int] = {}
        for arrival in fresh:
            if arrival.slot in first_of_slot:
                twins.append((arrival, first_of_slot[arrival.slot]))
                continue
            ballot = arrival.candidate
            held = max(
                revisions.get(arrival.voter, 0), self._store.highest_live_revision(*arrival.voter)
            )
            if arrival.view.recorded:
                # No revision is stored on chain in this mode, and records posted by other
                # relayers or the voter's own verified ballots are not read here: only a
                # revision this relayer already holds is refused; the recount applies the rule.
                stored = held if held >= ballot.revision else ballot.revision - 1
            else:
                stored = max(chain.revisions[arrival.voter], held)
            noted = _CheckedInBatch()
            rejection = check_ballot(
                arrival.view.rules,
                Ballot(
                    ballot.nullifier,
                    ballot.district,
                    ballot.choice or 0,  # an encrypted ballot's choice is in its ciphertext
                    ballot.revision,
                    ballot.merkle_root,
                    ballot.proof,
                    chain.now,
                ),
                stored,
                noted,
            )
            if rejection is not None:
                if rejection == Rejection.STALE_REVISION:
                    # An identical copy (sent through another relayer, or resent) may already
                    # count: then the voter's ballot is counted, which is no conflict.
                    _settle(arrival.answer, partial(self._counted_or, arrival, rejection))
                else:
                    arrival.answer.set_exception(refusal_for(rejection))
                continue
            # The proof is verified against the signals the model derived, which are those the
            # request carried (its scope and message were compared with them before); an
            # encrypted ballot's are the request's, whose root the rules just checked.
            if not arrival.view.encrypted:
                arrival.signals = noted.signals or []
            first_of_slot[arrival.slot] = arrival
            revisions[arrival.voter] = ballot.revision
            ruled.append(arrival)
        valid = []
        for arrival, ok in zip(ruled, self._proofs_valid(ruled), strict=True):
            if ok:
                valid.append(arrival)
            else:
                arrival.answer.set_exception(refusal_for(Rejection.INVALID_PROOF))
        stored_rows = self._store.add_many([arrival.candidate for arrival in valid])
        for arrival, row in zip(valid, stored_rows, strict=True):
            arrival.answer.set_result(acceptance(row))
        for arrival, original in twins:
            _settle(arrival.answer, partial(self._twin, arrival, original))
        if valid:
            self._worker.wake()

    def _proofs_valid(self, arrivals: list[_Arrival]) -> list[bool]:
        """Whether each proof verifies: all together first, then by halves where that fails."""
        if not arrivals:
            return []
        keys = {a.view.encrypted for a in arrivals}
        if len(keys) > 1:
            plain = [a for a in arrivals if not a.view.encrypted]
            encrypted = [a for a in arrivals if a.view.encrypted]
            verdicts = dict(zip(map(id, plain), self._proofs_valid(plain), strict=True))
            verdicts.update(zip(map(id, encrypted), self._proofs_valid(encrypted), strict=True))
            return [verdicts[id(a)] for a in arrivals]
        vk = self._encrypted_key() if arrivals[0].view.encrypted else self._vk
        if batch_verify(vk, [(a.proof, a.signals) for a in arrivals]):
            return [True] * len(arrivals)
        if len(arrivals) == 1:
            return [False]
        half = len(arrivals) // 2
        return self._proofs_valid(arrivals[:half]) + self._proofs_valid(arrivals[half:])

    def _known(self, known: Submission, arrival: _Arrival) -> Acceptance:
        if not known.same_ballot(arrival.candidate):
            raise RelayerRefusal(
                "stale_revision", "another ballot with this revision was already accepted"
            )
        latest = self._store.latest(*arrival.voter)
        if latest is None or latest.revision == known.revision:
            # A retry of the latest accepted ballot: idempotent, and counted if the chain counts
            # the same vote (even if a copy sent elsewhere landed first).
            return self._as_counted(arrival.view, acceptance(known))
        raise refusal_for(Rejection.STALE_REVISION)  # a replay of a superseded ballot

    def _counted_or(self, arrival: _Arrival, rejection: Rejection) -> Acceptance:
        """`included` if the chain counts this very vote already, else the model's refusal."""
        answer = self._as_counted(arrival.view, acceptance(arrival.candidate))
        if answer.status != Status.INCLUDED:
            raise refusal_for(rejection)
        return answer

    def _twin(self, arrival: _Arrival, original: _Arrival) -> Acceptance:
        """A second copy of a slot that arrived in the same group: answered as the first was."""
        exception = original.answer.exception()
        if exception is not None:
            raise exception
        if not original.candidate.same_ballot(arrival.candidate):
            raise RelayerRefusal(
                "stale_revision", "another ballot with this revision was already accepted"
            )
        return original.answer.result()

    # --- answering -----------------------------------------------------------------------------

    def _as_counted(self, view: ElectionView, answer: Acceptance) -> Acceptance:
        """`answer` as `included` when the chain counts the very same vote (same nullifier,
        district, choice and revision), whatever this relayer's own attempt came to."""
        if answer.status == Status.INCLUDED:
            return answer
        stored = self._reads.ballot(view.contract.address, int(answer.nullifier))
        if not _same_vote(stored, answer.district, answer.choice, answer.revision):
            return answer
        found = counted_transaction(view.contract, int(answer.nullifier), stored.cast_at)
        return answer.model_copy(
            update={
                "status": Status.INCLUDED.value,
                "transactionHash": found[0] if found else None,
                "blockNumber": found[1] if found else None,
                "reason": None,
            }
        )

    def status(self, election: str, nullifier: int) -> BallotStatus:
        """What this relayer did with the voter's latest ballot, and what the chain counts."""
        view = self._directory.get(election, self.now)
        submission = self._store.latest(view.contract.address, nullifier)
        stored = self._reads.ballot(view.contract.address, nullifier)
        counted = None
        if stored.revision:
            found: tuple[str, int] | None
            if (
                submission is not None
                and submission.status == Status.INCLUDED
                and submission.revision == stored.revision
                and submission.tx_hash is not None
                and submission.block_number is not None
            ):
                found = submission.tx_hash, submission.block_number
            else:  # counted from another relayer or account: find its transaction's block
                found = counted_transaction(view.contract, nullifier, stored.cast_at)
            counted = Counted(
                district=stored.district,
                choice=None if view.encrypted else stored.choice,
                revision=stored.revision,
                castAt=stored.cast_at,
                transactionHash=found[0] if found else None,
                blockNumber=found[1] if found else None,
            )
        if submission is None and counted is None:
            raise RelayerRefusal("no_ballot", "no ballot is known for this nullifier")
        answer = None if submission is None else acceptance(submission)
        if (
            answer is not None
            and counted is not None
            and (
                answer.status == Status.FAILED
                or (answer.status == Status.INCLUDED and answer.transactionHash is None)
            )
            and _same_vote(stored, answer.district, answer.choice, answer.revision)
        ):
            # This relayer's copy failed, or was skipped, because an identical one landed
            # first: it counts, from the transaction that carried the copy.
            answer = answer.model_copy(
                update={
                    "status": Status.INCLUDED.value,
                    "transactionHash": counted.transactionHash,
                    "blockNumber": counted.blockNumber,
                    "reason": None,
                }
            )
        return BallotStatus(
            election=view.contract.address,
            nullifier=str(nullifier),
            submission=answer,
            counted=counted,
        )


def _settle(answer: "Future[Acceptance]", decide: Callable[[], Acceptance]) -> None:
    try:
        answer.set_result(decide())
    except RelayerRefusal as refusal:
        answer.set_exception(refusal)


def _same_vote(stored: StoredBallot, district: int, choice: int | None, revision: int) -> bool:
    """Whether the chain counts this vote. An encrypted ballot (`choice` None) is known by its
    district and revision: the nullifier and revision name one proof the voter made."""
    if choice is None:
        return stored.revision != 0 and (stored.district, stored.revision) == (district, revision)
    return stored.revision != 0 and (stored.district, stored.choice, stored.revision) == (
        district,
        choice,
        revision,
    )
