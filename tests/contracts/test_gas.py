"""Gas budgets of registration and voting, measured on anvil.

The figures matter at a million voters: registration is paid by registrars, ballots by
relayers. Run with `-s` to see them printed.
"""

from collections.abc import Callable

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import Voter, make_ballot
from veche.chain.anvil import mine
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.hashing import semaphore_hash
from veche.crypto.prover import Prover

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def test_registration_gas_per_member_stays_within_budget(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    record_property: Callable[[str, object], None],
) -> None:
    mine(w3, calendar.registration_start)
    single = election.add_members(registrar, [semaphore_hash(0)])["gasUsed"]
    batches = [
        election.add_members(registrar, [semaphore_hash(1 + b * 100 + i) for i in range(100)])[
            "gasUsed"
        ]
        for b in range(10)
    ]
    last_single = election.add_members(registrar, [semaphore_hash(10_000)])["gasUsed"]
    per_member = [gas / 100 for gas in batches]

    print(
        f"\nregistration gas: 1 member into an empty register {single:,}; "
        f"1 member into a register of 1,001 {last_single:,}; batch of 100: first "
        f"{batches[0]:,} ({per_member[0]:,.0f}/member), tenth {batches[-1]:,} "
        f"({per_member[-1]:,.0f}/member)"
    )
    record_property("gas_register_single", single)
    record_property("gas_register_batch100_per_member", per_member[-1])
    assert max(per_member) < 65_000
    assert max(single, last_single) < 600_000


def test_ballot_gas_stays_within_budget(
    prover: Prover,
    voting_election: ElectionContract,
    relayer: LocalAccount,
    voters: list[Voter],
    record_property: Callable[[str, object], None],
) -> None:
    first = make_ballot(prover, voting_election, voters[0], choice=1, revision=1)
    first_gas = first.cast(voting_election, relayer)["gasUsed"]
    revote = make_ballot(prover, voting_election, voters[0], choice=2, revision=2)
    revote_gas = revote.cast(voting_election, relayer)["gasUsed"]

    print(f"\nballot gas: first ballot {first_gas:,}; re-vote {revote_gas:,}")
    record_property("gas_ballot_first", first_gas)
    record_property("gas_ballot_revote", revote_gas)
    assert first_gas < 400_000
    assert revote_gas < first_gas
