"""Attacks on the register, refused by the contract whoever sends them (a registrar's desk and
the authorities are tested over HTTP in tests/integration/test_registration.py)."""

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.adversarial.catalogue import CONTRACT, attack
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.hashing import semaphore_hash

pytestmark = pytest.mark.chain


def _people(count: int, start: int = 1) -> tuple[list[int], list[bytes]]:
    commitments = [semaphore_hash(i) for i in range(start, start + count)]
    return commitments, stand_in_tags(commitments)


@pytest.fixture
def registering(w3: Web3, election: ElectionContract, calendar: Calendar) -> ElectionContract:
    mine(w3, calendar.registration_start)
    return election


@pytest.fixture
def small_registrar(
    election: ElectionContract, organizer: LocalAccount, outsider: LocalAccount
) -> LocalAccount:
    """A registrar with a quota of 2 in district 0 only."""
    election.authorize_registrar(organizer, outsider.address, {0: 2})
    return outsider


@attack(
    "registration",
    "An address nobody authorised adds members to a register",
    CONTRACT,
    refusal="NotRegistrar(caller)",
)
def test_unauthorised_registrar(registering, outsider) -> None:
    with reverts_with("NotRegistrar", caller=outsider.address):
        registering.add_members(outsider, 0, *_people(1))
    assert registering.total_members() == 0


@attack(
    "registration",
    "A registrar registers beyond its quota (stuffing a register)",
    CONTRACT,
    refusal="QuotaExceeded(registrar, district, used, batchSize, quota); nothing of the batch",
)
def test_quota_exceeded(registering, small_registrar) -> None:
    with reverts_with(
        "QuotaExceeded", registrar=small_registrar.address, district=0, used=0, batchSize=3,
        quota=2,
    ):  # fmt: skip
        registering.add_members(small_registrar, 0, *_people(3))
    assert registering.member_count(0) == 0


@attack(
    "registration",
    "A registrar registers in a district it was not given",
    CONTRACT,
    refusal="NotRegistrarForDistrict(registrar, district)",
)
def test_registrar_outside_its_districts(registering, small_registrar) -> None:
    with reverts_with("NotRegistrarForDistrict", registrar=small_registrar.address, district=1):
        registering.add_members(small_registrar, 1, *_people(1))


@attack(
    "registration",
    "A suspended registrar keeps registering",
    CONTRACT,
    refusal="SuspendedRegistrar(registrar)",
)
def test_suspended_registrar(registering, organizer, registrar) -> None:
    registering.suspend_registrar(organizer, registrar.address, "fraud reported")
    with reverts_with("SuspendedRegistrar", registrar=registrar.address):
        registering.add_members(registrar, 0, *_people(1))


@attack(
    "registration",
    "Tag reuse: one person registered again with a new identity at another registrar",
    CONTRACT,
    refusal="DuplicatePerson(tag)",
)
def test_tag_reuse(registering, registrar, small_registrar) -> None:
    commitments, tags = _people(1)
    registering.add_members(registrar, 0, commitments, tags)
    with reverts_with("DuplicatePerson", tag=tags[0]):
        registering.add_members(small_registrar, 0, [semaphore_hash(999)], tags)
    assert registering.member_count(0) == 1


@attack(
    "registration",
    "Commitment 0 (the empty leaf) or a commitment not below the field order",
    CONTRACT,
    refusal="InvalidCommitment(commitment)",
)
@pytest.mark.parametrize("bad", [0, SNARK_SCALAR_FIELD, 2**256 - 1])
def test_commitment_zero_or_out_of_field(registering, registrar, bad) -> None:
    with reverts_with("InvalidCommitment", commitment=bad):
        registering.add_members(registrar, 0, [bad], stand_in_tags([bad]))
    assert registering.member_count(0) == 0


@attack(
    "registration",
    "A member added after registration closed (changing the root voters proved against)",
    CONTRACT,
    refusal="RegistrationClosed(now, start, end); the frozen root stays",
)
def test_registration_after_close(w3, registered_election, registrar, calendar) -> None:
    frozen = registered_election.merkle_root(0)
    late = registered_election.contract.functions.addMembers(0, *_people(1, start=50))
    with reverts_with(
        "RegistrationClosed", now=calendar.registration_end, start=calendar.registration_start,
        end=calendar.registration_end,
    ):  # fmt: skip
        send_at(w3, registrar, late, calendar.registration_end)
    assert registered_election.merkle_root(0) == frozen


@attack(
    "registration",
    "The organizer's powers used by someone else (authorising a registrar of their own)",
    CONTRACT,
    refusal="NotOrganizer(caller)",
)
def test_registrar_authorised_by_an_outsider(registering, outsider, registrar) -> None:
    with reverts_with("NotOrganizer", caller=registrar.address):
        registering.authorize_registrar(registrar, outsider.address, {0: 1_000})
