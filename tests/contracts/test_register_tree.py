"""The registers as `RegisterTree` keeps them: batches inserted as blocks give the root every other
implementation computes, tags stay one per person across and within batches, and a commitment
registered twice (no longer refused: the contract keeps no per-commitment record) still votes
once, because its identity has one nullifier per election.

Gas is measured in bench/gas.py, not here.
"""

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import Voter, make_ballot
from tests.contracts.reverts import reverts_with
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.hashing import semaphore_hash
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover

pytestmark = pytest.mark.chain


def commitments(count: int, start: int) -> list[int]:
    return [semaphore_hash(start + i) for i in range(count)]


@pytest.fixture
def registering(w3: Web3, election: ElectionContract, calendar: Calendar) -> ElectionContract:
    mine(w3, calendar.registration_start)
    return election


def test_batches_of_100_give_the_reference_root_after_every_batch(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    """Batch sizes that start and end at every kind of position (odd, even, powers of two)."""
    leaves: list[int] = []
    for size in (1, 100, 100, 27, 1, 100, 4, 3):
        batch = commitments(size, start=len(leaves))
        registering.add_members(registrar, 0, batch, stand_in_tags(batch))
        leaves += batch
        reference = LeanIMT(leaves)
        assert registering.merkle_root(0) == reference.root, f"after {len(leaves)} members"
        events = registering.member_events(district=0)
        assert events[-1].merkle_root == reference.root
    assert registering.member_count(0) == len(leaves) == 336
    assert [e.commitment for e in registering.member_events(district=0)] == leaves


def test_a_tag_is_refused_again_in_a_later_batch_and_within_a_batch(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    first = commitments(100, start=1_000)
    tags = stand_in_tags(first)
    registering.add_members(registrar, 1, first, tags)
    later = commitments(100, start=2_000)
    reused = [*stand_in_tags(later[:99]), tags[42]]
    with reverts_with("DuplicatePerson", tag=tags[42]):
        registering.add_members(registrar, 2, later, reused)
    twice = stand_in_tags(later)
    twice[70] = twice[3]
    with reverts_with("DuplicatePerson", tag=twice[3]):
        registering.add_members(registrar, 1, later, twice)
    assert registering.member_count(1) == 100 and registering.member_count(2) == 0
    assert registering.merkle_root(1) == LeanIMT(first).root


def test_the_tag_record_locates_its_leaf(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    """What recovery needs is stored with the tag, in the tag's own slot."""
    batch = commitments(5, start=3_000)
    tags = stand_in_tags(batch)
    registering.add_members(registrar, 2, batch[:2], tags[:2])
    registering.add_members(registrar, 2, batch[2:], tags[2:])
    person = registering.person(tags[3])
    assert (person.registered, person.district, person.index, person.replacements) == (
        True, 2, 3, 0,
    )  # fmt: skip
    assert not registering.person(bytes(32)).registered


def test_an_identity_registered_in_two_districts_still_votes_once(
    w3: Web3,
    prover: Prover,
    election: ElectionContract,
    registrar: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    """The commitment record was dropped: a second registration of one identity (two tags,
    so two persons' registrations) is accepted, but both leaves give the same nullifier, so
    the identity has one counted ballot, which a later revision may move."""
    mine(w3, calendar.registration_start)
    twice = voters[0]
    north = [twice.commitment, voters[1].commitment]
    south = [voters[3].commitment, twice.commitment]
    election.add_members(registrar, 0, north, stand_in_tags(north))
    election.add_members(
        registrar, 1, south, [stand_in_tags([voters[3].commitment])[0], b"\x07" * 32]
    )
    assert election.merkle_root(1) == LeanIMT(south).root
    mine(w3, calendar.voting_start)

    first = make_ballot(prover, election, twice, district=0, choice=2, revision=1)
    first.cast(election, relayer)
    elsewhere = make_ballot(prover, election, twice, district=1, choice=1, revision=1)
    assert elsewhere.nullifier == first.nullifier
    with reverts_with("StaleRevision", nullifier=first.nullifier, given=1, stored=1):
        elsewhere.cast(election, relayer)
    moved = make_ballot(prover, election, twice, district=1, choice=1, revision=2)
    moved.cast(election, relayer)
    assert election.ballot_count() == 1
    counted = election.ballot_of(first.nullifier)
    assert (counted.district, counted.choice, counted.revision) == (1, 1, 2)
