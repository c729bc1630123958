"""Casting ballots: the checks of `castBallot`, in PROTOCOL.md's order, with real Groth16 proofs.

The guards before the proof check are exercised with a dummy proof (the contract must refuse
the ballot before it ever looks at the proof); everything after uses proofs made by the real
prover with the committed dev keys and verified by the deployed snarkjs verifier. The window
boundaries are in `test_phases.py`.
"""

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.conftest import DEFINITION_HASH, DISTRICTS
from tests.contracts.reverts import reverts_with
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import Calendar, ElectionContract, grants_everywhere
from veche.crypto.prover import Prover

pytestmark = pytest.mark.chain

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617
DUMMY_PROOF = tuple(range(1, 9))
SOME_NULLIFIER = 12345


def dummy_ballot(
    election: ElectionContract, district: int = 0, choice: int = 0, revision: int = 1
) -> Ballot:
    """A ballot with the district's right root and a proof that is not one."""
    root = election.merkle_root(district)
    return Ballot(district, root, SOME_NULLIFIER, choice, revision, DUMMY_PROOF)


# --- checks before the proof, in order ---------------------------------------------------------


def test_a_district_that_does_not_exist_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    ballot = dummy_ballot(voting_election).claiming(district=3)
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        ballot.cast(voting_election, relayer)


def test_voting_never_opens_in_a_district_below_its_minimum(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    """A district of one voter would reveal that voter's choice."""
    assert voting_election.district(2).below_minimum
    with reverts_with("DistrictBelowMinimum", district=2, memberCount=1, minimumMembers=3):
        dummy_ballot(voting_election, district=2).cast(voting_election, relayer)


def test_a_district_exactly_at_its_minimum_is_open(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    assert voting_election.member_count(1) == DISTRICTS[1].minimum_members
    with reverts_with("InvalidProof", nullifier=SOME_NULLIFIER):  # every check before passed
        dummy_ballot(voting_election, district=1).cast(voting_election, relayer)


def test_a_choice_is_checked_against_the_ballot_of_its_district(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    """Option 2 exists in district 0 (three lists) but not in district 1 (two)."""
    with reverts_with("UnknownChoice", district=1, choice=2, optionCount=2):
        dummy_ballot(voting_election, district=1, choice=2).cast(voting_election, relayer)
    with reverts_with("UnknownChoice", district=0, choice=3, optionCount=3):
        dummy_ballot(voting_election, district=0, choice=3).cast(voting_election, relayer)


def test_a_ballot_against_another_districts_root_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    roots = [voting_election.merkle_root(district) for district in range(2)]
    ballot = dummy_ballot(voting_election, district=1).claiming(merkle_root=roots[0])
    with reverts_with("RootMismatch", district=1, given=roots[0], expected=roots[1]):
        ballot.cast(voting_election, relayer)


def test_revision_zero_is_always_stale(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    ballot = dummy_ballot(voting_election, revision=0)
    with reverts_with("StaleRevision", nullifier=SOME_NULLIFIER, given=0, stored=0):
        ballot.cast(voting_election, relayer)


def test_a_ballot_whose_proof_does_not_verify_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    with reverts_with("InvalidProof", nullifier=SOME_NULLIFIER):
        dummy_ballot(voting_election).cast(voting_election, relayer)
    assert voting_election.ballot_count() == 0


# --- real proofs ------------------------------------------------------------------------------


@pytest.fixture
def voter(voters: list[Voter]) -> Voter:
    """A voter of district 0."""
    return voters[1]


@pytest.fixture
def first_ballot(prover: Prover, voting_election: ElectionContract, voter: Voter) -> Ballot:
    """The voter's first ballot in district 0: option 2, revision 1."""
    return make_ballot(prover, voting_election, voter, district=0, choice=2, revision=1)


@pytest.mark.slow
def test_a_valid_ballot_is_accepted_stored_with_its_district_and_logged_with_its_proof(
    w3: Web3,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    receipt = first_ballot.cast(voting_election, relayer)

    block = w3.eth.get_block(receipt["blockNumber"])
    stored = voting_election.ballot_of(first_ballot.nullifier)
    assert (stored.district, stored.choice, stored.revision) == (0, 2, 1)
    assert stored.cast_at == block["timestamp"]
    assert voting_election.ballot_count() == 1
    assert first_ballot.nullifier == voter.identity.nullifier(voting_election.scope_signal())
    (event,) = voting_election.ballot_events()
    assert (event.nullifier, event.district, event.choice, event.revision) == (
        first_ballot.nullifier,
        0,
        2,
        1,
    )
    assert (event.merkle_root, event.proof) == (voting_election.merkle_root(0), first_ballot.proof)
    assert (event.block_number, event.block_timestamp) == (block["number"], block["timestamp"])
    assert event.tx_hash == receipt["transactionHash"]
    assert voting_election.ballot_events(district=1) == []


@pytest.mark.slow
def test_voters_of_different_districts_vote_on_their_own_ballots(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voters: list[Voter],
) -> None:
    north = make_ballot(prover, voting_election, voters[0], district=0, choice=2, revision=1)
    south = make_ballot(prover, voting_election, voters[4], district=1, choice=1, revision=1)
    north.cast(voting_election, relayer)
    south.cast(voting_election, relayer)

    assert voting_election.ballot_of(south.nullifier).district == 1
    assert [(e.district, e.choice) for e in voting_election.ballot_events()] == [(0, 2), (1, 1)]
    assert [e.nullifier for e in voting_election.ballot_events(district=1)] == [south.nullifier]


@pytest.mark.slow
def test_a_ballot_proven_in_one_district_cannot_be_counted_in_another(
    prover: Prover, voting_election: ElectionContract, relayer: LocalAccount, voter: Voter
) -> None:
    ballot = make_ballot(prover, voting_election, voter, district=0, choice=1, revision=1)
    with reverts_with(
        "RootMismatch",
        district=1,
        given=ballot.merkle_root,
        expected=voting_election.merkle_root(1),
    ):
        ballot.claiming(district=1).cast(voting_election, relayer)
    assert voting_election.ballot_count() == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("voter_index", "district", "message_district"),
    [
        pytest.param(3, 1, 0, id="district-1-ballot-naming-district-0"),
        pytest.param(1, 0, 1, id="district-0-ballot-naming-district-1"),
    ],
)
def test_the_proof_binds_the_district_its_ballot_counts_in(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voters: list[Voter],
    voter_index: int,
    district: int,
    message_district: int,
) -> None:
    """A proof of membership in one district whose message names another (as a client
    unaware of districts would make for district 0) is not a ballot: the district is part of
    the proven message."""
    mislabelled = make_ballot(
        prover,
        voting_election,
        voters[voter_index],
        district=district,
        choice=1,
        revision=1,
        message_district=message_district,
    )
    with reverts_with("InvalidProof", nullifier=mislabelled.nullifier):
        mislabelled.cast(voting_election, relayer)
    assert voting_election.ballot_count() == 0


@pytest.mark.slow
def test_a_revote_replaces_the_earlier_ballot_without_counting_a_new_voter(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    first_ballot.cast(voting_election, relayer)
    revote = make_ballot(prover, voting_election, voter, district=0, choice=0, revision=2)
    assert revote.nullifier == first_ballot.nullifier

    revote.cast(voting_election, relayer)

    stored = voting_election.ballot_of(first_ballot.nullifier)
    assert (stored.district, stored.choice, stored.revision) == (0, 0, 2)
    assert voting_election.ballot_count() == 1
    assert [(e.choice, e.revision) for e in voting_election.ballot_events()] == [(2, 1), (0, 2)]


@pytest.mark.slow
def test_replaying_the_earlier_ballot_after_a_revote_is_refused(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    """The key attack on re-voting: anyone can copy a public ballot from the logs and submit
    it again after the voter changed their vote, to turn the vote back."""
    first_ballot.cast(voting_election, relayer)
    revote = make_ballot(prover, voting_election, voter, district=0, choice=0, revision=2)
    revote.cast(voting_election, relayer)

    with reverts_with("StaleRevision", nullifier=first_ballot.nullifier, given=1, stored=2):
        first_ballot.cast(voting_election, outsider)
    assert voting_election.ballot_of(first_ballot.nullifier).choice == 0


@pytest.mark.slow
def test_resubmitting_the_same_ballot_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount, first_ballot: Ballot
) -> None:
    first_ballot.cast(voting_election, relayer)
    with reverts_with("StaleRevision", nullifier=first_ballot.nullifier, given=1, stored=1):
        first_ballot.cast(voting_election, relayer)


@pytest.mark.slow
@pytest.mark.parametrize(
    "forgery",
    [
        pytest.param({"choice": 0}, id="another-choice"),
        pytest.param({"nullifier": 777}, id="another-nullifier"),
    ],
)
def test_a_proof_cannot_be_presented_for_another_ballot(
    voting_election: ElectionContract,
    relayer: LocalAccount,
    first_ballot: Ballot,
    forgery: dict[str, int],
) -> None:
    forged = first_ballot.claiming(**forgery)
    with reverts_with("InvalidProof", nullifier=forged.nullifier):
        forged.cast(voting_election, relayer)
    assert voting_election.ballot_count() == 0


@pytest.mark.slow
def test_a_proof_cannot_be_presented_for_the_next_revision(
    voting_election: ElectionContract, relayer: LocalAccount, first_ballot: Ballot
) -> None:
    """Revision 2 passes the revision rule once revision 1 is stored; only the proof refuses
    a copy of revision 1's proof claiming it."""
    first_ballot.cast(voting_election, relayer)
    forged = first_ballot.claiming(revision=2)
    with reverts_with("InvalidProof", nullifier=forged.nullifier):
        forged.cast(voting_election, relayer)
    assert voting_election.ballot_of(first_ballot.nullifier).revision == 1


@pytest.mark.slow
def test_the_highest_revision_cannot_lock_a_vote(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    """Issue 12 item 1: a coercer with the voter's secret proves revision 2^32-1, which no
    ballot could follow. The contract takes only the next revision, so the voter keeps the
    re-vote."""
    first_ballot.cast(voting_election, relayer)
    locking = make_ballot(prover, voting_election, voter, district=0, choice=1, revision=2**32 - 1)
    with reverts_with("RevisionGap", nullifier=locking.nullifier, given=2**32 - 1, expected=2):
        locking.cast(voting_election, outsider)
    revote = make_ballot(prover, voting_election, voter, district=0, choice=0, revision=2)
    revote.cast(voting_election, relayer)
    assert voting_election.ballot_of(first_ballot.nullifier).choice == 0


def test_a_first_ballot_that_skips_revision_one_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    with reverts_with("RevisionGap", nullifier=SOME_NULLIFIER, given=2, expected=1):
        dummy_ballot(voting_election, revision=2).cast(voting_election, relayer)


@pytest.mark.slow
def test_a_nullifier_beyond_the_field_is_not_a_second_vote(
    voting_election: ElectionContract, relayer: LocalAccount, first_ballot: Ballot
) -> None:
    """`nullifier + r` equals the nullifier modulo r: a verifier that reduced public signals
    would accept it, and the contract, keyed by uint256, would count the voter twice."""
    first_ballot.cast(voting_election, relayer)
    aliased = first_ballot.claiming(nullifier=first_ballot.nullifier + FIELD)
    with reverts_with("InvalidProof", nullifier=aliased.nullifier):
        aliased.cast(voting_election, relayer)
    assert voting_election.ballot_count() == 1


@pytest.mark.slow
def test_a_proof_for_another_election_is_refused(
    w3: Web3,
    voting_election: ElectionContract,
    deployer: LocalAccount,
    registrar: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
    voters: list[Voter],
    first_ballot: Ballot,
) -> None:
    """Same register, same voter, same ballot: only the election's scope differs."""
    start = calendar.voting_start
    other_calendar = Calendar(start + 10, start + 20, start + 20, start + 1_000, start + 2_000)
    other = deploy_election(
        w3,
        deployer,
        calendar=other_calendar,
        districts=DISTRICTS,
        definition_hash=DEFINITION_HASH,
        registrars=grants_everywhere(registrar.address, len(DISTRICTS), 10),
        libraries=libraries,
    )
    mine(w3, other_calendar.registration_start)
    members = [voter.commitment for voter in voters[:3]]
    other.add_members(registrar, 0, members, stand_in_tags(members))
    mine(w3, other_calendar.voting_start)
    assert other.merkle_root(0) == first_ballot.merkle_root

    with reverts_with("InvalidProof", nullifier=first_ballot.nullifier):
        first_ballot.cast(other, relayer)
    first_ballot.cast(voting_election, relayer)


@pytest.mark.slow
def test_a_valid_proof_sent_with_too_little_gas_is_not_counted(
    w3: Web3, voting_election: ElectionContract, relayer: LocalAccount, first_ballot: Ballot
) -> None:
    """A snarkjs verifier short of gas returns false instead of reverting: the contract must
    treat that as a refusal, never as success."""
    call = voting_election.contract.functions.castBallot(
        first_ballot.district,
        first_ballot.merkle_root,
        first_ballot.nullifier,
        first_ballot.choice,
        first_ballot.revision,
        list(first_ballot.proof),
    )
    with reverts_with("InvalidProof", nullifier=first_ballot.nullifier):
        send(w3, relayer, call, gas=160_000, simulate=False)
    assert voting_election.ballot_of(first_ballot.nullifier).revision == 0
