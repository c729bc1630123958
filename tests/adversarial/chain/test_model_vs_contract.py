"""The reference model against the contract: Hypothesis draws random sequences of operations
(single ballots, batches, re-votes, replays, forgeries, late registrations, time moves through
the closing second into appeals, exclusions and restorations) and applies each to both. After
every step every view must agree (the ballot counted for each nullifier, ballotCount, each
district's exclusion and the phase), and the contract's invariants must hold: ballotCount never
falls, a nullifier's revision only ever moves by exactly +1 a ballot, and the registers' roots
and sizes stay frozen once voting is open.

The proofs are real (a pool of 18 made once by the real prover); the chain is the real contract
on anvil, taken back to a snapshot after each example, so an example costs only its
transactions. Bounded by `EXAMPLES` x at most `STEPS`.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.adversarial.catalogue import fuzzing
from tests.adversarial.chain.layers import PROOF_OK, rules_of
from tests.contracts.ballots import Ballot, Voter
from tests.contracts.timing import send_at
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine, revert_to, snapshot
from veche.chain.election import MAX_TRANSACTION_GAS, BallotInput, ElectionContract
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof
from veche.crypto.hashing import message_signal, scope_signal
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.errors import ContractRevert
from veche.model import Ballot as ModelBallot
from veche.model import Calendar, Rejection, check_ballot
from veche.protocol import Phase

pytestmark = [pytest.mark.chain, pytest.mark.slow]

EXAMPLES = 15
STEPS = 10
"""At most 15 x 10 = 150 operations, each one transaction."""

VOTERS = ((0, 0), (1, 0), (3, 1))
"""(voter index, district) of the three voters whose ballots are in the pool: two in district 0
(three lists), one in district 1 (two lists)."""
CHOICES = (0, 1)
REVISIONS = (1, 2, 3)

ERRORS = {
    Rejection.VOTING_CLOSED: "VotingClosed",
    Rejection.UNKNOWN_DISTRICT: "UnknownDistrict",
    Rejection.DISTRICT_BELOW_MINIMUM: "DistrictBelowMinimum",
    Rejection.UNKNOWN_CHOICE: "UnknownChoice",
    Rejection.ROOT_MISMATCH: "RootMismatch",
    Rejection.STALE_REVISION: "StaleRevision",
    Rejection.REVISION_GAP: "RevisionGap",
    Rejection.INVALID_PROOF: "InvalidProof",
}
"""The model's reason for each refusal, and the contract's custom error for it."""

TAMPERS = ("none", "none", "none", "choice", "root", "proof", "alias", "district 2", "list 9")


_POOLS: dict[tuple[int, ...], dict[tuple[int, int, int], Ballot]] = {}
"""Pools by (scope, roots): each test deploys the same election afresh at the same address, so
the proofs made for one test serve the next."""


@pytest.fixture
def pool(prover: Prover, voting_election: ElectionContract, voters: list[Voter]) -> dict:
    """Every pool ballot, (voter, choice, revision) -> Ballot, proven in one go."""
    key = (voting_election.scope(), *(voting_election.merkle_root(d) for d in range(2)))
    if key not in _POOLS:
        _POOLS[key] = _prove_pool(prover, voting_election, voters)
    return _POOLS[key]


def _prove_pool(prover: Prover, voting_election: ElectionContract, voters: list[Voter]) -> dict:
    keys, inputs = [], []
    scope = scope_signal(voting_election.scope())
    for voter, district in VOTERS:
        register = LeanIMT(e.commitment for e in voting_election.member_events(district=district))
        path = register.proof_of(voters[voter].commitment)
        for choice in CHOICES:
            for revision in REVISIONS:
                keys.append((voter, choice, revision, district))
                inputs.append(
                    {
                        "secret": voters[voter].identity.secret_scalar,
                        "merkleProofLength": path.length,
                        "merkleProofIndex": path.index,
                        "merkleProofSiblings": path.padded_siblings(),
                        "message": message_signal(choice, revision, district),
                        "scope": scope,
                    }
                )
    ballots = {}
    for (voter, choice, revision, district), result in zip(
        keys, prover.prove_many(inputs), strict=True
    ):
        root, nullifier = (int(s) for s in result["publicSignals"][:2])
        packed = tuple(Proof.from_snarkjs(result["proof"]).packed())
        ballots[voter, choice, revision] = Ballot(
            district, root, nullifier, choice, revision, packed
        )
    return ballots


def _tampered(ballot: Ballot, tamper: str) -> Ballot:
    p = ballot.proof
    return {
        "none": ballot,
        "choice": ballot.claiming(choice=1 - ballot.choice),
        "root": ballot.claiming(merkle_root=ballot.merkle_root + 1),
        "proof": ballot.claiming(proof=(*p[6:8], *p[2:6], *p[0:2])),
        "alias": ballot.claiming(nullifier=ballot.nullifier + SNARK_SCALAR_FIELD),
        "district 2": ballot.claiming(district=2),
        "list 9": ballot.claiming(choice=9),
    }[tamper]


@dataclass
class Model:
    """The reference model's state: the ballot counted per nullifier, exclusions, the clock."""

    calendar: Calendar
    counted: dict[int, Ballot] = field(default_factory=dict)
    excluded: set[int] = field(default_factory=set)

    def stored(self, nullifier: int, trial: dict[int, Ballot] | None = None) -> int:
        ballot = (self.counted if trial is None else trial).get(nullifier)
        return 0 if ballot is None else ballot.revision


def _as_model(ballot: Ballot, at: int) -> ModelBallot:
    return ModelBallot(
        ballot.nullifier,
        ballot.district,
        ballot.choice,
        ballot.revision,
        ballot.merkle_root,
        ballot.proof,
        at,
    )


def run_machine(w3: Any, election: ElectionContract, sender: Any, organizer: Any, registrar: Any,
                pool: dict, calendar: Calendar) -> dict[str, int]:  # fmt: skip
    rules = rules_of(election)
    roots = [election.merkle_root(d) for d in range(3)]
    sizes = [election.member_count(d) for d in range(3)]
    nullifiers = sorted({b.nullifier for b in pool.values()})
    keys = sorted(pool)
    operations: dict[str, int] = {}

    def expect_single(model: Model, ballot: Ballot, at: int) -> str | None:
        rejection = check_ballot(
            rules, _as_model(ballot, at), model.stored(ballot.nullifier), PROOF_OK
        )
        return None if rejection is None else ERRORS[rejection]

    def expect_batch(model: Model, ballots: list[Ballot], at: int) -> tuple[str | None, dict]:
        """The contract's batch rule: a ballot whose revision is already stored is skipped;
        any other refusal refuses the whole batch, the proofs being checked last, together."""
        trial = dict(model.counted)
        bad_proof = False
        for ballot in ballots:
            stored = model.stored(ballot.nullifier, trial)
            shape = check_ballot(rules, _as_model(ballot, at), stored, lambda *_: True)
            if shape is Rejection.STALE_REVISION:
                continue
            if shape is not None:
                return ERRORS[shape], model.counted
            if check_ballot(rules, _as_model(ballot, at), stored, PROOF_OK) is not None:
                bad_proof = True
            trial[ballot.nullifier] = ballot
        return ("InvalidProofInBatch" if bad_proof else None), trial

    class ModelAgainstContract(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.snapshot = snapshot(w3)  # each example ends by going back to it
            self.clock = calendar.voting_start  # the snapshot's latest block
            self.model = Model(calendar)
            self.count = 0
            self.revisions: dict[int, int] = {}

        def teardown(self) -> None:
            revert_to(w3, self.snapshot)

        def _tick(self) -> int:
            self.clock += 1
            return self.clock

        def _send(self, account: Any, call: Any, at: int, gas: int) -> str | None:
            try:
                send_at(w3, account, call, at, gas=gas)
            except ContractRevert as refused:
                return refused.name
            return None

        @rule(key=st.sampled_from(keys), tamper=st.sampled_from(TAMPERS))
        def cast_one(self, key: tuple[int, int, int], tamper: str) -> None:
            operations["single"] = operations.get("single", 0) + 1
            ballot, at = _tampered(pool[key], tamper), self._tick()
            expected = expect_single(self.model, ballot, at)
            call = election.contract.functions.castBallot(
                ballot.district, ballot.merkle_root, ballot.nullifier, ballot.choice,
                ballot.revision, list(ballot.proof),
            )  # fmt: skip
            got = self._send(sender, call, at, gas=400_000)
            assert got == expected, (key, tamper, got, expected)
            if expected is None:
                self.model.counted[ballot.nullifier] = ballot

        @rule(
            picks=st.lists(st.sampled_from(keys), min_size=1, max_size=5),
            bad=st.sampled_from((None, None, "proof", "root")),
        )
        def cast_batch(self, picks: list[tuple[int, int, int]], bad: str | None) -> None:
            operations["batch"] = operations.get("batch", 0) + 1
            ballots = [pool[key] for key in picks]
            if bad is not None:
                ballots[-1] = _tampered(ballots[-1], bad)
            at = self._tick()
            expected, after = expect_batch(self.model, ballots, at)
            call = election.contract.functions.castBallots(
                [
                    BallotInput(
                        b.district, b.choice, b.revision, b.merkle_root, b.nullifier, b.proof
                    ).as_tuple()
                    for b in ballots
                ]
            )
            # The most gas a transaction may have: enough for the bisection to name the bad proof
            # (with the relayer's limit it may say BatchCheckFailed instead, by design).
            got = self._send(sender, call, at, gas=MAX_TRANSACTION_GAS)
            assert got == expected, (picks, bad, got, expected)
            if expected is None:
                self.model.counted = after

        @rule(seconds=st.sampled_from((1, 30, 250, 499, 700)))
        def wait(self, seconds: int) -> None:
            operations["time"] = operations.get("time", 0) + 1
            self.clock = mine(w3, self.clock + seconds)

        @precondition(lambda self: self.clock + 1 >= calendar.voting_end - 3)
        @rule(district=st.sampled_from((0, 1, 2)), restore=st.booleans())
        def appeal(self, district: int, restore: bool) -> None:
            operations["appeal"] = operations.get("appeal", 0) + 1
            at = self._tick()
            if calendar.phase(at) is not Phase.APPEALS:
                expected: str | None = "AppealsClosed"
            elif restore:
                expected = None if district in self.model.excluded else "DistrictNotExcluded"
            else:
                expected = "DistrictAlreadyExcluded" if district in self.model.excluded else None
            functions = election.contract.functions
            call = (
                functions.restoreDistrict(district, "fuzz: restored")
                if restore
                else functions.excludeDistrict(district, "fuzz: excluded", b"\x01" * 32)
            )
            got = self._send(organizer, call, at, gas=200_000)
            assert got == expected, (district, restore, got, expected)
            if expected is None:
                (self.model.excluded.discard if restore else self.model.excluded.add)(district)

        @rule(district=st.sampled_from((0, 1, 2)), member=st.integers(1, 2**64))
        def register_late(self, district: int, member: int) -> None:
            """Registration is closed once voting opens: the registers' roots stay frozen."""
            operations["register"] = operations.get("register", 0) + 1
            at = self._tick()
            call = election.contract.functions.addMembers(
                district, [member], stand_in_tags([member])
            )
            assert self._send(registrar, call, at, gas=500_000) == "RegistrationClosed"

        @invariant()
        def views_agree(self) -> None:
            for nullifier in nullifiers:
                held = election.ballot_of(nullifier)
                mine_ = self.model.counted.get(nullifier)
                if mine_ is None:
                    assert held.revision == 0, nullifier
                    continue
                assert (held.district, held.choice, held.revision) == (
                    mine_.district, mine_.choice, mine_.revision,
                )  # fmt: skip
                # Revisions move by exactly +1 a ballot: never back, never a jump past a
                # ballot the model did not count.
                before = self.revisions.get(nullifier, 0)
                assert before <= held.revision, (nullifier, before, held.revision)
                self.revisions[nullifier] = held.revision
            count = election.ballot_count()
            assert count == len(self.model.counted) and count >= self.count
            self.count = count
            assert [election.is_excluded(d) for d in range(3)] == [
                d in self.model.excluded for d in range(3)
            ]
            assert election.phase() is calendar.phase(w3.eth.get_block("latest")["timestamp"])

        @invariant()
        def registers_frozen(self) -> None:
            assert [election.merkle_root(d) for d in range(3)] == roots
            assert [election.member_count(d) for d in range(3)] == sizes

    run_state_machine_as_test(
        ModelAgainstContract,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return operations


@fuzzing(
    "reference model vs contract",
    f"random sequences of up to {STEPS} operations (single and batched ballots, re-votes, "
    "replays, forgeries, time moves, exclusions) applied to both; every view compared",
    EXAMPLES,
)
def test_model_and_contract_agree_on_random_operation_sequences(
    w3, voting_election, relayer, organizer, registrar, pool, calendar
) -> None:
    operations = run_machine(w3, voting_election, relayer, organizer, registrar, pool, calendar)
    print(f"operations run: {operations}")
    assert operations.get("single", 0) and operations.get("batch", 0)


def test_the_revision_record_is_exactly_plus_one_per_ballot(w3, voting_election, relayer, pool):
    """Every BallotCast event of a nullifier carries the previous one's revision + 1."""
    for revision in REVISIONS:
        pool[0, revision % 2, revision].cast(voting_election, relayer)
    events = [
        e.revision
        for e in voting_election.ballot_events()
        if e.nullifier == pool[0, 0, 1].nullifier
    ]
    assert events == [1, 2, 3]
