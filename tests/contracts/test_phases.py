"""The calendar on chain: every phase starts exactly at its first second, for every operation.

Each boundary is tried one second before and at the boundary, in blocks with exact timestamps:
registration start and end (`addMembers`), voting start and end (`castBallot`), appeals start
and end (`excludeDistrict`, `restoreDistrict`), and the final phase (`publishResult`).
"""

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.conftest import DEFINITION_HASH, DISTRICTS
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import Calendar, ElectionContract, Phase
from veche.crypto.hashing import semaphore_hash
from veche.crypto.prover import Prover

pytestmark = pytest.mark.chain

EVIDENCE = keccak(b"evidence")
RESULT = keccak(b"result record")


def test_the_contracts_phase_changes_exactly_at_each_boundary(
    w3: Web3, deployer: LocalAccount, libraries: Libraries
) -> None:
    # A freshly mined block's time, with room for the deployment's own blocks: the latest block
    # may be minutes old on a chain other tests left idle (seen failing so).
    now = mine(w3) + 100
    calendar = Calendar(now + 10, now + 20, now + 30, now + 40, now + 50)
    election = deploy_election(
        w3,
        deployer,
        calendar=calendar,
        districts=DISTRICTS,
        definition_hash=DEFINITION_HASH,
        libraries=libraries,
    )
    seen = []
    for boundary in calendar.as_tuple():
        for moment in (boundary - 1, boundary):
            mine(w3, moment)
            assert election.phase() == calendar.phase(moment), moment
            seen.append(election.phase())
    assert seen == [
        Phase.SETUP, Phase.REGISTRATION,
        Phase.REGISTRATION, Phase.WAITING,
        Phase.WAITING, Phase.VOTING,
        Phase.VOTING, Phase.APPEALS,
        Phase.APPEALS, Phase.COUNTING,
    ]  # fmt: skip


# --- registration -----------------------------------------------------------------------------


def test_registration_opens_at_its_first_second(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_start - 1,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        send_at(w3, registrar, _add(election, 1), calendar.registration_start - 1)
    send_at(w3, registrar, _add(election, 1), calendar.registration_start)
    assert election.member_count(0) == 1


def test_registration_closes_at_its_end(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    send_at(w3, registrar, _add(election, 1), calendar.registration_end - 1)
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_end,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        send_at(w3, registrar, _add(election, 2), calendar.registration_end)
    assert election.member_count(0) == 1


def _add(election: ElectionContract, seed: int) -> ContractFunction:
    member = semaphore_hash(seed)
    return election.contract.functions.addMembers(0, [member], stand_in_tags([member]))


# --- voting -----------------------------------------------------------------------------------


@pytest.fixture
def ballot(prover: Prover, registered_election: ElectionContract, voters: list[Voter]) -> Ballot:
    """A valid ballot of voter 0 in district 0, proven before voting opens."""
    return make_ballot(prover, registered_election, voters[0], district=0, choice=1, revision=1)


def _cast(election: ElectionContract, ballot: Ballot) -> ContractFunction:
    return election.contract.functions.castBallot(
        ballot.district,
        ballot.merkle_root,
        ballot.nullifier,
        ballot.choice,
        ballot.revision,
        list(ballot.proof),
    )


@pytest.mark.slow
def test_voting_opens_at_its_first_second(
    w3: Web3,
    registered_election: ElectionContract,
    relayer: LocalAccount,
    calendar: Calendar,
    ballot: Ballot,
) -> None:
    with reverts_with(
        "VotingClosed",
        now=calendar.voting_start - 1,
        start=calendar.voting_start,
        end=calendar.voting_end,
    ):
        send_at(w3, relayer, _cast(registered_election, ballot), calendar.voting_start - 1)
    send_at(w3, relayer, _cast(registered_election, ballot), calendar.voting_start)
    assert registered_election.ballot_of(ballot.nullifier).revision == 1


@pytest.mark.slow
def test_voting_closes_at_its_end(
    w3: Web3,
    registered_election: ElectionContract,
    relayer: LocalAccount,
    calendar: Calendar,
    ballot: Ballot,
) -> None:
    send_at(w3, relayer, _cast(registered_election, ballot), calendar.voting_end - 1)
    replay = _cast(registered_election, ballot.claiming(revision=2))
    with reverts_with(
        "VotingClosed",
        now=calendar.voting_end,
        start=calendar.voting_start,
        end=calendar.voting_end,
    ):
        send_at(w3, relayer, replay, calendar.voting_end)
    assert registered_election.ballot_count() == 1


# --- appeals ----------------------------------------------------------------------------------


def test_appeals_open_when_voting_closes(
    w3: Web3, voting_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    exclude = voting_election.contract.functions.excludeDistrict(0, "fraud", EVIDENCE)
    with reverts_with(
        "AppealsClosed",
        now=calendar.voting_end - 1,
        start=calendar.voting_end,
        end=calendar.appeals_end,
    ):
        send_at(w3, organizer, exclude, calendar.voting_end - 1)
    send_at(w3, organizer, exclude, calendar.voting_end)
    assert voting_election.is_excluded(0)


def test_appeals_close_at_their_end(
    w3: Web3, voting_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    functions = voting_election.contract.functions
    send_at(w3, organizer, functions.excludeDistrict(1, "fraud", EVIDENCE), calendar.voting_end)
    send_at(w3, organizer, functions.restoreDistrict(1, "error"), calendar.appeals_end - 2)
    send_at(
        w3, organizer, functions.excludeDistrict(1, "fraud", EVIDENCE), calendar.appeals_end - 1
    )
    closed = {
        "now": calendar.appeals_end,
        "start": calendar.voting_end,
        "end": calendar.appeals_end,
    }
    with reverts_with("AppealsClosed", **closed):
        send_at(w3, organizer, functions.restoreDistrict(1, "late"), calendar.appeals_end)
    with reverts_with("AppealsClosed", **{**closed, "now": calendar.appeals_end + 1}):
        send_at(w3, organizer, functions.excludeDistrict(0, "late", EVIDENCE),
                calendar.appeals_end + 1)  # fmt: skip
    assert (voting_election.is_excluded(0), voting_election.is_excluded(1)) == (False, True)


# --- result -----------------------------------------------------------------------------------


def test_the_result_may_be_published_from_the_end_of_appeals(
    w3: Web3, voting_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    publish = voting_election.contract.functions.publishResult(RESULT)
    with reverts_with(
        "ResultNotYetAllowed", now=calendar.appeals_end - 1, appealsEnd=calendar.appeals_end
    ):
        send_at(w3, organizer, publish, calendar.appeals_end - 1)
    send_at(w3, organizer, publish, calendar.appeals_end)
    assert voting_election.result_hash() == RESULT
