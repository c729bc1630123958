"""Casting ballots: the checks of `castBallot`, in PROTOCOL.md's order, with real Groth16 proofs.

The guards before the proof check are exercised with a dummy proof (the contract must refuse
the ballot before it ever looks at the proof); everything after uses proofs made by the real
prover with the committed dev keys and verified by the deployed snarkjs verifier.
"""

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.conftest import OPTIONS
from tests.contracts.reverts import reverts_with
from veche.chain.anvil import mine, set_next_timestamp
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.prover import Prover

pytestmark = pytest.mark.chain

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617
DUMMY_PROOF = tuple(range(1, 9))
SOME_NULLIFIER = 12345


def dummy_ballot(election: ElectionContract, choice: int = 0, revision: int = 1) -> Ballot:
    """A ballot with the right root and a proof that is not one."""
    return Ballot(election.merkle_root(), SOME_NULLIFIER, choice, revision, DUMMY_PROOF)


def cast_at(
    w3: Web3, election: ElectionContract, sender: LocalAccount, ballot: Ballot, timestamp: int
) -> None:
    """Casts `ballot` in a block with exactly `timestamp` (no simulation: it would use the
    previous block's time)."""
    set_next_timestamp(w3, timestamp)
    call = election.contract.functions.castBallot(
        ballot.merkle_root, ballot.nullifier, ballot.choice, ballot.revision, list(ballot.proof)
    )
    send(w3, sender, call, gas=500_000, simulate=False)


# --- checks before the proof ------------------------------------------------------------------


def test_a_ballot_one_second_before_voting_opens_is_refused(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    mine(w3, calendar.registration_start)
    election.add_members(registrar, [voter.commitment for voter in voters])
    with reverts_with(
        "VotingClosed",
        now=calendar.voting_start - 1,
        start=calendar.voting_start,
        end=calendar.voting_end,
    ):
        cast_at(w3, election, relayer, dummy_ballot(election), calendar.voting_start - 1)


def test_a_ballot_at_the_end_of_voting_is_refused(
    w3: Web3, voting_election: ElectionContract, relayer: LocalAccount, calendar: Calendar
) -> None:
    with reverts_with(
        "VotingClosed",
        now=calendar.voting_end,
        start=calendar.voting_start,
        end=calendar.voting_end,
    ):
        cast_at(w3, voting_election, relayer, dummy_ballot(voting_election), calendar.voting_end)


def test_a_choice_that_is_not_an_option_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    ballot = dummy_ballot(voting_election, choice=len(OPTIONS))
    with reverts_with("UnknownChoice", choice=len(OPTIONS), optionCount=len(OPTIONS)):
        ballot.cast(voting_election, relayer)


def test_a_ballot_against_another_register_root_is_refused(
    voting_election: ElectionContract, relayer: LocalAccount
) -> None:
    root = voting_election.merkle_root()
    ballot = dummy_ballot(voting_election).claiming(merkle_root=root + 1)
    with reverts_with("RootMismatch", given=root + 1, expected=root):
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
    return voters[1]


@pytest.fixture
def first_ballot(prover: Prover, voting_election: ElectionContract, voter: Voter) -> Ballot:
    """The voter's first ballot: option 2, revision 1."""
    return make_ballot(prover, voting_election, voter, choice=2, revision=1)


@pytest.mark.slow
def test_a_valid_ballot_is_accepted_stored_and_logged_with_its_proof(
    w3: Web3,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    receipt = first_ballot.cast(voting_election, relayer)

    block = w3.eth.get_block(receipt["blockNumber"])
    stored = voting_election.ballot_of(first_ballot.nullifier)
    assert (stored.choice, stored.revision, stored.cast_at) == (2, 1, block["timestamp"])
    assert voting_election.ballot_count() == 1
    assert first_ballot.nullifier == voter.identity.nullifier(voting_election.scope_signal())
    (event,) = voting_election.ballot_events()
    assert (event.nullifier, event.choice, event.revision) == (first_ballot.nullifier, 2, 1)
    assert (event.merkle_root, event.proof) == (voting_election.merkle_root(), first_ballot.proof)
    assert (event.block_number, event.block_timestamp) == (block["number"], block["timestamp"])
    assert event.tx_hash == receipt["transactionHash"]


@pytest.mark.slow
def test_a_ballot_in_the_last_second_of_voting_is_accepted(
    w3: Web3,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    calendar: Calendar,
    first_ballot: Ballot,
) -> None:
    cast_at(w3, voting_election, relayer, first_ballot, calendar.voting_end - 1)
    assert voting_election.ballot_of(first_ballot.nullifier).revision == 1


@pytest.mark.slow
def test_a_revote_replaces_the_earlier_ballot_without_counting_a_new_voter(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voter: Voter,
    first_ballot: Ballot,
) -> None:
    first_ballot.cast(voting_election, relayer)
    revote = make_ballot(prover, voting_election, voter, choice=0, revision=2)
    assert revote.nullifier == first_ballot.nullifier

    revote.cast(voting_election, relayer)

    stored = voting_election.ballot_of(first_ballot.nullifier)
    assert (stored.choice, stored.revision) == (0, 2)
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
    make_ballot(prover, voting_election, voter, choice=0, revision=2).cast(voting_election, relayer)

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
        pytest.param({"revision": 7}, id="higher-revision"),
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
    organizer: LocalAccount,
    registrar: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
    voters: list[Voter],
    first_ballot: Ballot,
) -> None:
    """Same register, same voter, same ballot: only the election's scope differs."""
    other_calendar = Calendar(
        calendar.voting_start + 10,
        calendar.voting_start + 20,
        calendar.voting_start + 20,
        calendar.voting_start + 1_000,
    )
    other = deploy_election(
        w3,
        organizer,
        options=OPTIONS,
        calendar=other_calendar,
        registrars=[registrar.address],
        libraries=libraries,
    )
    mine(w3, other_calendar.registration_start)
    other.add_members(registrar, [voter.commitment for voter in voters])
    mine(w3, other_calendar.voting_start)
    assert other.merkle_root() == first_ballot.merkle_root

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
        first_ballot.merkle_root,
        first_ballot.nullifier,
        first_ballot.choice,
        first_ballot.revision,
        list(first_ballot.proof),
    )
    with reverts_with("InvalidProof", nullifier=first_ballot.nullifier):
        send(w3, relayer, call, gas=150_000, simulate=False)
    assert voting_election.ballot_of(first_ballot.nullifier).revision == 0
