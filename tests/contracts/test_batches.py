"""Batches of ballots (`castBallots`): every rule of `castBallot` per ballot, all proofs checked
with one pairing product whose coefficients the submitter cannot choose.

Proofs are real (the committed dev keys). Every test deploys the election at the same address
on a rolled-back chain, so the proofs are made once per module and reused.
"""

from collections.abc import Callable

import pytest
from eth_account.signers.local import LocalAccount
from py_ecc.bn128 import FQ, G1, add, multiply, neg
from web3 import Web3
from web3.logs import DISCARD
from web3.types import TxReceipt

from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from veche.chain.client import call_view
from veche.chain.election import BallotInput, Calendar, ElectionContract, cast_ballots_gas
from veche.crypto.prover import Prover

pytestmark = [pytest.mark.chain, pytest.mark.slow]

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617

Prove = Callable[..., Ballot]


@pytest.fixture(scope="module")
def proofs() -> dict[tuple[object, ...], Ballot]:
    return {}


@pytest.fixture
def prove(
    prover: Prover,
    voting_election: ElectionContract,
    voters: list[Voter],
    proofs: dict[tuple[object, ...], Ballot],
) -> Prove:
    """`prove(voter_index, choice, revision)`: that voter's ballot in their own district
    (voters 0-2 in district 0, 3-4 in district 1), made once per module."""

    def make(voter: int, choice: int, revision: int = 1) -> Ballot:
        district = 0 if voter < 3 else 1
        key = (voting_election.address, voting_election.scope(), voter, choice, revision)
        if key not in proofs:
            proofs[key] = make_ballot(
                prover, voting_election, voters[voter], district, choice, revision
            )
        return proofs[key]

    return make


def batch_input(ballot: Ballot) -> BallotInput:
    return BallotInput(
        district=ballot.district,
        choice=ballot.choice,
        revision=ballot.revision,
        merkle_root=ballot.merkle_root,
        nullifier=ballot.nullifier,
        proof=ballot.proof,
    )


def cast(election: ElectionContract, sender: LocalAccount, ballots: list[Ballot]) -> TxReceipt:
    return election.cast_ballots(sender, [batch_input(b) for b in ballots])


def five_ballots(prove: Prove) -> list[Ballot]:
    """One first ballot of each voter: three in district 0, two in district 1, interleaved."""
    return [prove(0, 1), prove(3, 0), prove(1, 2), prove(4, 1), prove(2, 0)]


def test_a_batch_in_two_districts_is_counted_ballot_by_ballot(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    ballots = five_ballots(prove)
    receipt = cast(voting_election, relayer, ballots)

    assert voting_election.ballot_count() == 5
    for ballot in ballots:
        stored = voting_election.ballot_of(ballot.nullifier)
        assert (stored.district, stored.choice, stored.revision) == (
            ballot.district,
            ballot.choice,
            1,
        )
    events = voting_election.ballot_events()
    assert [(e.nullifier, e.district, e.choice, e.proof) for e in events] == [
        (b.nullifier, b.district, b.choice, b.proof) for b in ballots
    ]
    assert {e.tx_hash for e in events} == {receipt["transactionHash"]}


@pytest.mark.parametrize("position", [0, 2, 4])
def test_one_bad_proof_reverts_the_whole_batch_and_is_named(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove, position: int
) -> None:
    ballots = five_ballots(prove)
    bad = ballots[position]
    other = ballots[(position + 1) % 5]
    ballots[position] = bad.claiming(proof=other.proof)  # a real proof, of another ballot

    with reverts_with("InvalidProofInBatch", index=position, nullifier=bad.nullifier):
        cast(voting_election, relayer, ballots)
    assert voting_election.ballot_count() == 0


def test_two_invalid_proofs_that_cancel_out_do_not_pass(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """Without random coefficients, C_1 + D and C_2 - D would pass a summed check: the errors
    cancel. Coefficients from the batch's hash weigh them differently."""
    first, second = prove(0, 1), prove(3, 0)
    shift = multiply(G1, 123456789)

    def moved(ballot: Ballot, point: tuple[FQ, FQ]) -> Ballot:
        x, y = add((FQ(ballot.proof[6]), FQ(ballot.proof[7])), point)
        return ballot.claiming(proof=(*ballot.proof[:6], int(x), int(y)))

    forged = [moved(first, shift), moved(second, neg(shift))]
    with reverts_with("InvalidProofInBatch", index=0, nullifier=first.nullifier):
        cast(voting_election, relayer, forged)


def test_a_nullifier_beyond_the_field_is_refused_in_a_batch(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """`nullifier + r` would pass the same proof and count the voter twice."""
    ballot = prove(0, 1)
    cast(voting_election, relayer, [ballot])
    aliased = ballot.claiming(nullifier=ballot.nullifier + FIELD)
    with reverts_with("InvalidProofInBatch", index=1, nullifier=aliased.nullifier):
        cast(voting_election, relayer, [prove(1, 2), aliased])
    assert voting_election.ballot_count() == 1


def test_a_ballot_twice_in_one_batch_counts_once(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    ballot = prove(1, 2)
    receipt = cast(voting_election, relayer, [ballot, prove(3, 0), ballot])

    assert voting_election.ballot_count() == 2
    events = voting_election.contract.events.BallotSkipped()
    skipped = events.process_receipt(receipt, errors=DISCARD)
    assert [(e.args.nullifier, e.args.revision, e.args.storedRevision) for e in skipped] == [
        (ballot.nullifier, 1, 1)
    ]
    assert len(voting_election.ballot_events()) == 2


def test_two_ballots_of_one_voter_at_one_revision_count_once(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """A double vote inside one batch: the first ballot counts, the second is skipped."""
    first, second = prove(2, 0), prove(2, 1)
    cast(voting_election, relayer, [first, second])
    stored = voting_election.ballot_of(first.nullifier)
    assert (stored.choice, stored.revision, voting_election.ballot_count()) == (0, 1, 1)


def test_a_revote_inside_one_batch_replaces_the_first_ballot(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    cast(voting_election, relayer, [prove(0, 1, revision=1), prove(0, 2, revision=2)])
    stored = voting_election.ballot_of(prove(0, 1).nullifier)
    assert (stored.choice, stored.revision, voting_election.ballot_count()) == (2, 2, 1)


def test_a_batch_with_a_ballot_that_skips_a_revision_reverts(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    skipping = prove(0, 2, revision=2)
    with reverts_with("RevisionGap", nullifier=skipping.nullifier, given=2, expected=1):
        cast(voting_election, relayer, [prove(3, 0), skipping])
    assert voting_election.ballot_count() == 0


def test_a_ballot_copied_into_an_earlier_transaction_does_not_take_the_batch_down(
    voting_election: ElectionContract, relayer: LocalAccount, outsider: LocalAccount, prove: Prove
) -> None:
    """Anyone can copy a ballot from a pending batch and send it first; the batch still lands."""
    ballots = five_ballots(prove)
    ballots[2].cast(voting_election, outsider)
    cast(voting_election, relayer, ballots)
    assert voting_election.ballot_count() == 5


def test_a_batch_with_a_ballot_of_another_district_root_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    ballots = five_ballots(prove)
    wrong = ballots[1].claiming(merkle_root=ballots[0].merkle_root)
    expected = voting_election.merkle_root(1)
    with reverts_with("RootMismatch", district=1, given=ballots[0].merkle_root, expected=expected):
        cast(voting_election, relayer, [ballots[0], wrong])


def test_an_empty_or_oversized_batch_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    maximum = voting_election.max_ballots_per_batch()
    call = voting_election.contract.functions.castBallots
    with reverts_with("EmptyBatch"):
        call_view(call([]))
    ballot = batch_input(prove(0, 1)).as_tuple()
    with reverts_with("BatchTooLarge", count=maximum + 1, maximum=maximum):
        call_view(call([ballot] * (maximum + 1)))


def test_a_batch_is_accepted_until_the_last_second_of_voting(
    w3: Web3,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    calendar: Calendar,
    prove: Prove,
) -> None:
    ballots = five_ballots(prove)
    functions = voting_election.contract.functions
    early = functions.castBallots([batch_input(b).as_tuple() for b in ballots[:2]])
    late = functions.castBallots([batch_input(b).as_tuple() for b in ballots[2:]])
    send_at(w3, relayer, early, calendar.voting_end - 1, gas=cast_ballots_gas(2))
    end = calendar.voting_end
    with reverts_with("VotingClosed", now=end, start=calendar.voting_start, end=end):
        send_at(w3, relayer, late, calendar.voting_end, gas=cast_ballots_gas(3))
    assert voting_election.ballot_count() == 2


def test_each_ballot_is_checked_against_its_own_districts_options(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """A district's checks are read once per batch: choice 2, which district 0 offers (three
    options), is still refused for a ballot of district 1 (two options) that follows."""
    south = prove(3, 0).claiming(choice=2)
    with reverts_with("UnknownChoice", district=1, choice=2, optionCount=2):
        cast(voting_election, relayer, [prove(0, 2), prove(4, 1), south])


def test_every_ballot_of_a_district_is_held_to_its_root(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    first, second = prove(0, 1), prove(1, 2)
    wrong = second.claiming(merkle_root=first.merkle_root + 1)
    with reverts_with(
        "RootMismatch", district=0, given=first.merkle_root + 1, expected=first.merkle_root
    ):
        cast(voting_election, relayer, [first, prove(3, 0), wrong])


def test_a_batch_with_a_ballot_of_a_district_below_its_minimum_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    lone = prove(0, 0).claiming(district=2)
    with reverts_with("DistrictBelowMinimum", district=2, memberCount=1, minimumMembers=3):
        cast(voting_election, relayer, [prove(0, 1), lone])
    assert voting_election.ballot_count() == 0
