"""Fixtures for contract tests: shared libraries, a fresh election, voters and a real prover."""

from collections.abc import Iterator

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import VOTER_KEYS, Voter
from veche.chain.anvil import latest_timestamp, mine
from veche.chain.deploy import Libraries, deploy_election, deploy_libraries
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover

OPTIONS = ("Alice", "Bob", "Carol")


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
def calendar(w3: Web3) -> Calendar:
    """Registration opens in 100 s and lasts 900 s; voting follows at once for 1,000 s."""
    now = latest_timestamp(w3)
    return Calendar(
        registration_start=now + 100,
        registration_end=now + 1_000,
        voting_start=now + 1_000,
        voting_end=now + 2_000,
    )


@pytest.fixture
def election(
    w3: Web3,
    libraries: Libraries,
    organizer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
) -> ElectionContract:
    """A fresh election with one registrar, before registration opens."""
    return deploy_election(
        w3,
        organizer,
        options=OPTIONS,
        calendar=calendar,
        registrars=[registrar.address],
        libraries=libraries,
    )


@pytest.fixture
def voters() -> list[Voter]:
    """Five voters with fixed identities (the same as the shared proof vectors)."""
    return [Voter(Identity.from_private_key(key)) for key in VOTER_KEYS]


@pytest.fixture
def voting_election(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """The election with every voter registered, at the first second of voting."""
    mine(w3, calendar.registration_start)
    election.add_members(registrar, [voter.commitment for voter in voters])
    mine(w3, calendar.voting_start)
    return election


@pytest.fixture(scope="session")
def prover() -> Iterator[Prover]:
    """The real snarkjs prover with the committed dev keys."""
    with Prover() as started:
        yield started
