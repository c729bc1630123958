"""Fixtures for contract tests: shared libraries, a fresh three-district election, voters and a
real prover.

The organizer is not the deployer, as when a multisig runs the election.
"""

from collections.abc import Iterator

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from tests.contracts.ballots import VOTER_KEYS, Voter
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.deploy import Libraries, deploy_election, deploy_libraries
from veche.chain.election import Calendar, DistrictConfig, ElectionContract, grants_everywhere
from veche.crypto.hashing import semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.protocol import BallotMode

DISTRICTS = (
    DistrictConfig(option_count=3, minimum_members=2),
    DistrictConfig(option_count=2, minimum_members=2),
    DistrictConfig(option_count=1, minimum_members=3),
)
"""District 0 and 1 reach their minimum in `voting_election`; district 2 (a single list) does
not."""

DEFINITION_HASH = keccak(b"veche contract test definition")

QUOTA = 5_000
"""The fixture registrar's quota in every district: more than any test registers."""

LONE_MEMBER = semaphore_hash(424242)
"""The only member of district 2 in `voting_election`, two short of its minimum."""


@pytest.fixture(scope="session")
def libraries(chain: Web3, accounts: list[LocalAccount]) -> Libraries:
    """PoseidonT3 and the Groth16 verifier, deployed once before any test snapshot."""
    return deploy_libraries(chain, accounts[9])


@pytest.fixture
def organizer(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[0]


@pytest.fixture
def registrar(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[1]


@pytest.fixture
def outsider(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[2]


@pytest.fixture
def relayer(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[3]


@pytest.fixture
def deployer(accounts: list[LocalAccount]) -> LocalAccount:
    """Sends the deployment; has no rights in the election."""
    return accounts[4]


@pytest.fixture
def calendar(w3: Web3) -> Calendar:
    """Registration opens in 100 s and lasts 900 s; voting follows at once for 1,000 s, then
    appeals for 1,000 s. "Now" is a freshly mined block's time: the latest block may be minutes
    old on a chain that other tests left idle, and the deployment's own blocks would then fall
    after the opening second."""
    now = mine(w3)
    return Calendar(
        registration_start=now + 100,
        registration_end=now + 1_000,
        voting_start=now + 1_000,
        voting_end=now + 2_000,
        appeals_end=now + 3_000,
    )


def deploy_test_election(
    w3: Web3,
    libraries: Libraries,
    deployer: LocalAccount,
    organizer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
    ballot_mode: BallotMode = BallotMode.VERIFIED,
    election_key_hash: bytes | None = None,
) -> ElectionContract:
    """The fixtures' election in `ballot_mode` (encrypted under `election_key_hash` if given):
    one registrar with a quota of `QUOTA` in every district, before registration opens."""
    return deploy_election(
        w3,
        deployer,
        organizer=organizer.address,
        calendar=calendar,
        districts=DISTRICTS,
        definition_hash=DEFINITION_HASH,
        registrars=grants_everywhere(registrar.address, len(DISTRICTS), QUOTA),
        libraries=libraries,
        ballot_mode=ballot_mode,
        election_key_hash=election_key_hash,
    )


@pytest.fixture
def election(
    w3: Web3,
    libraries: Libraries,
    deployer: LocalAccount,
    organizer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
) -> ElectionContract:
    """A fresh election with one registrar (a quota of `QUOTA` in every district), before
    registration opens."""
    return deploy_test_election(w3, libraries, deployer, organizer, registrar, calendar)


@pytest.fixture
def voters() -> list[Voter]:
    """Five voters with fixed identities (the same as the shared proof vectors)."""
    return [Voter(Identity.from_private_key(key)) for key in VOTER_KEYS]


@pytest.fixture
def registered_election(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """The election with its registers complete, during registration: voters 0-2 in district
    0, voters 3-4 in district 1, and one member in district 2 (below its minimum of 3)."""
    return register_test_voters(w3, election, registrar, calendar, voters)


def register_test_voters(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """Registers the fixtures' voters as `registered_election` describes."""
    mine(w3, calendar.registration_start)
    north, south = [v.commitment for v in voters[:3]], [v.commitment for v in voters[3:]]
    election.add_members(registrar, 0, north, stand_in_tags(north))
    election.add_members(registrar, 1, south, stand_in_tags(south))
    election.add_members(registrar, 2, [LONE_MEMBER], stand_in_tags([LONE_MEMBER]))
    return election


@pytest.fixture
def voting_election(
    w3: Web3, registered_election: ElectionContract, calendar: Calendar
) -> ElectionContract:
    """The registered election at the first second of voting."""
    mine(w3, calendar.voting_start)
    return registered_election


@pytest.fixture
def appeals_election(
    w3: Web3, voting_election: ElectionContract, calendar: Calendar
) -> ElectionContract:
    """The same election at the first second of appeals."""
    mine(w3, calendar.voting_end)
    return voting_election


@pytest.fixture(scope="session")
def prover() -> Iterator[Prover]:
    """The real snarkjs prover with the committed dev keys."""
    with Prover() as started:
        yield started
