"""Registrars on chain: quotas per district, suspension, one registration per person (dedup
tags) whichever registrar sends it, public counts, and the register freeze.

Every refusal is asserted with its exact custom error and values, and with the proof that
nothing of the refused batch reached the register.
"""

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3

from tests.contracts.conftest import DEFINITION_HASH, DISTRICTS, QUOTA
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from tests.person_tags import stand_in_tag, stand_in_tags
from veche.chain.anvil import mine
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import (
    Calendar,
    ElectionContract,
    QuotaState,
    RegistrarGrant,
    RegistrarState,
)
from veche.crypto.hashing import semaphore_hash

pytestmark = pytest.mark.chain

_ZERO_ADDRESS = to_checksum_address("0x" + "00" * 20)


def people(count: int, start: int = 1) -> tuple[list[int], list[bytes]]:
    """`count` distinct commitments and the tags of their (distinct) persons."""
    commitments = [semaphore_hash(i) for i in range(start, start + count)]
    return commitments, stand_in_tags(commitments)


@pytest.fixture
def registering(w3: Web3, election: ElectionContract, calendar: Calendar) -> ElectionContract:
    """The election at the first second of registration."""
    mine(w3, calendar.registration_start)
    return election


@pytest.fixture
def second_registrar(
    election: ElectionContract, organizer: LocalAccount, outsider: LocalAccount
) -> LocalAccount:
    """Another community's registrar, with a quota of 3 in district 0 and 1 in district 1."""
    election.authorize_registrar(organizer, outsider.address, {0: 3, 1: 1})
    return outsider


# --- authorisation and quotas -----------------------------------------------------------------


def test_registrars_and_their_quotas_can_be_set_at_deployment(
    w3: Web3,
    deployer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    election = deploy_election(
        w3,
        deployer,
        calendar=calendar,
        districts=DISTRICTS,
        definition_hash=DEFINITION_HASH,
        registrars=[RegistrarGrant(registrar.address, 2, 7)],
        libraries=libraries,
    )
    assert election.registrar_state(registrar.address) == RegistrarState(True, False)
    assert election.registrar_quota(registrar.address, 2) == QuotaState(quota=7, used=0)
    assert election.registrar_quota(registrar.address, 0) == QuotaState(quota=0, used=0)
    assert election.registrar_state(outsider.address) == RegistrarState(False, False)


def test_organizer_authorizes_a_registrar_for_given_districts_with_a_quota_each(
    election: ElectionContract, organizer: LocalAccount, outsider: LocalAccount
) -> None:
    receipt = election.authorize_registrar(organizer, outsider.address, {0: 3, 2: 40})
    events = election.contract.events.RegistrarAuthorized().process_receipt(receipt)
    assert [
        (e["args"]["registrar"], e["args"]["district"], e["args"]["quota"]) for e in events
    ] == [
        (outsider.address, 0, 3),
        (outsider.address, 2, 40),
    ]
    assert election.is_registrar(outsider.address)
    assert [election.registrar_quota(outsider.address, d).quota for d in range(3)] == [3, 0, 40]


def test_a_registrar_registers_only_in_its_districts(
    registering: ElectionContract, second_registrar: LocalAccount
) -> None:
    commitments, tags = people(1)
    with reverts_with("NotRegistrarForDistrict", registrar=second_registrar.address, district=2):
        registering.add_members(second_registrar, 2, commitments, tags)
    assert registering.member_count(2) == 0


def test_an_over_quota_batch_is_refused_whole(
    registering: ElectionContract, second_registrar: LocalAccount
) -> None:
    commitments, tags = people(2)
    registering.add_members(second_registrar, 0, commitments, tags)
    more, more_tags = people(2, start=10)
    with reverts_with(
        "QuotaExceeded",
        registrar=second_registrar.address,
        district=0,
        used=2,
        batchSize=2,
        quota=3,
    ):
        registering.add_members(second_registrar, 0, more, more_tags)
    assert registering.member_count(0) == 2, "nothing of the refused batch was registered"
    registering.add_members(second_registrar, 0, more[:1], more_tags[:1])
    assert registering.registrar_quota(second_registrar.address, 0) == QuotaState(3, 3)
    with reverts_with(
        "QuotaExceeded",
        registrar=second_registrar.address,
        district=0,
        used=3,
        batchSize=1,
        quota=3,
    ):
        registering.add_members(second_registrar, 0, more[1:], more_tags[1:])


def test_counts_per_registrar_and_district_are_public(
    registering: ElectionContract, registrar: LocalAccount, second_registrar: LocalAccount
) -> None:
    first, first_tags = people(2)
    second, second_tags = people(1, start=5)
    registering.add_members(registrar, 0, first, first_tags)
    registering.add_members(second_registrar, 0, second, second_tags)
    registering.add_members(registrar, 1, *people(1, start=9))
    assert registering.registrar_quota(registrar.address, 0) == QuotaState(QUOTA, 2)
    assert registering.registrar_quota(second_registrar.address, 0) == QuotaState(3, 1)
    assert registering.registrar_quota(registrar.address, 1) == QuotaState(QUOTA, 1)
    assert registering.member_count(0) == 3
    by_registrar = [(e.district, e.registrar) for e in registering.member_events()]
    assert by_registrar == [
        (0, registrar.address),
        (0, registrar.address),
        (0, second_registrar.address),
        (1, registrar.address),
    ]


def test_a_quota_can_be_raised_but_never_cut_below_what_is_used(
    registering: ElectionContract, organizer: LocalAccount, second_registrar: LocalAccount
) -> None:
    registering.add_members(second_registrar, 0, *people(2))
    with reverts_with(
        "QuotaBelowUsed", registrar=second_registrar.address, district=0, quota=1, used=2
    ):
        registering.authorize_registrar(organizer, second_registrar.address, {0: 1})
    registering.authorize_registrar(organizer, second_registrar.address, {0: 2})
    assert registering.registrar_quota(second_registrar.address, 0) == QuotaState(2, 2)
    registering.authorize_registrar(organizer, second_registrar.address, {0: 10})
    registering.add_members(second_registrar, 0, *people(8, start=10))
    assert registering.registrar_quota(second_registrar.address, 0) == QuotaState(10, 10)


def test_authorisation_mistakes_are_refused(
    election: ElectionContract, organizer: LocalAccount, outsider: LocalAccount
) -> None:
    with reverts_with("InvalidRegistrar", registrar=_ZERO_ADDRESS):
        election.authorize_registrar(organizer, _ZERO_ADDRESS, {0: 1})
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        election.authorize_registrar(organizer, outsider.address, {0: 1, 3: 1})
    with reverts_with("NoDistrictsGiven", registrar=outsider.address):
        election.authorize_registrar(organizer, outsider.address, {})
    call = election.contract.functions.authorizeRegistrar(outsider.address, [0, 1], [5])
    with reverts_with("QuotaCountMismatch", districts=2, quotas=1):
        send(election.w3, organizer, call)
    assert not election.is_registrar(outsider.address)


def test_only_the_organizer_manages_registrars_not_the_deployer(
    election: ElectionContract,
    deployer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
) -> None:
    with reverts_with("NotOrganizer", caller=deployer.address):
        election.authorize_registrar(deployer, outsider.address, {0: 1})
    with reverts_with("NotOrganizer", caller=registrar.address):
        election.suspend_registrar(registrar, registrar.address, "self-suspension")
    with reverts_with("NotOrganizer", caller=registrar.address):
        election.authorize_registrar(registrar, registrar.address, {0: QUOTA + 1})


def test_an_unauthorised_address_cannot_register_voters(
    registering: ElectionContract, outsider: LocalAccount
) -> None:
    with reverts_with("NotRegistrar", caller=outsider.address):
        registering.add_members(outsider, 0, *people(1))
    assert registering.total_members() == 0


# --- suspension -------------------------------------------------------------------------------


def test_a_suspended_registrar_is_refused_until_reinstated(
    registering: ElectionContract, organizer: LocalAccount, registrar: LocalAccount
) -> None:
    registering.add_members(registrar, 0, *people(2))
    receipt = registering.suspend_registrar(organizer, registrar.address, "fraud reported in Oslo")
    (event,) = registering.contract.events.RegistrarSuspended().process_receipt(receipt)
    assert event["args"] == {"registrar": registrar.address, "reason": "fraud reported in Oslo"}
    assert not registering.is_registrar(registrar.address)
    assert registering.registrar_state(registrar.address) == RegistrarState(True, True)

    with reverts_with("SuspendedRegistrar", registrar=registrar.address):
        registering.add_members(registrar, 0, *people(1, start=10))
    assert registering.member_count(0) == 2, "members added before the suspension stay"

    receipt = registering.reinstate_registrar(organizer, registrar.address, "report unfounded")
    (event,) = registering.contract.events.RegistrarReinstated().process_receipt(receipt)
    assert event["args"] == {"registrar": registrar.address, "reason": "report unfounded"}
    registering.add_members(registrar, 0, *people(1, start=10))
    assert registering.member_count(0) == 3


def test_raising_a_quota_does_not_lift_a_suspension(
    registering: ElectionContract, organizer: LocalAccount, registrar: LocalAccount
) -> None:
    registering.suspend_registrar(organizer, registrar.address, "audit")
    registering.authorize_registrar(organizer, registrar.address, {0: QUOTA + 10})
    with reverts_with("SuspendedRegistrar", registrar=registrar.address):
        registering.add_members(registrar, 0, *people(1))


def test_suspension_mistakes_are_refused(
    election: ElectionContract,
    organizer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
) -> None:
    with reverts_with("RegistrarNotAuthorized", registrar=outsider.address):
        election.suspend_registrar(organizer, outsider.address, "unknown")
    with reverts_with("RegistrarNotSuspended", registrar=registrar.address):
        election.reinstate_registrar(organizer, registrar.address, "not suspended")
    with reverts_with("EmptyReason"):
        election.suspend_registrar(organizer, registrar.address, "")
    election.suspend_registrar(organizer, registrar.address, "audit")
    with reverts_with("RegistrarAlreadySuspended", registrar=registrar.address):
        election.suspend_registrar(organizer, registrar.address, "again")


def test_registrar_changes_are_refused_from_the_end_of_registration(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
) -> None:
    grant = election.contract.functions.authorizeRegistrar(outsider.address, [0], [5])
    send_at(w3, organizer, grant, calendar.registration_end - 1)
    suspend = election.contract.functions.suspendRegistrar(outsider.address, "too late")
    with reverts_with(
        "RegistrarChangesClosed",
        now=calendar.registration_end,
        registrationEnd=calendar.registration_end,
    ):
        send_at(w3, organizer, suspend, calendar.registration_end)


# --- one person, one registration -------------------------------------------------------------


def test_the_same_person_registered_at_two_registrars_is_refused(
    registering: ElectionContract, registrar: LocalAccount, second_registrar: LocalAccount
) -> None:
    """A person registered by one community tries again elsewhere with a new identity: the new
    commitment is fresh, but the person's tag is not."""
    commitments, tags = people(1)
    registering.add_members(registrar, 0, commitments, tags)
    another_identity = semaphore_hash(999)
    with reverts_with("DuplicatePerson", tag=tags[0]):
        registering.add_members(second_registrar, 1, [another_identity], tags)
    assert registering.member_count(1) == 0
    assert registering.registrar_quota(second_registrar.address, 1).used == 0
    assert registering.tag_used(tags[0])
    assert not registering.tag_used(stand_in_tag(another_identity))


def test_a_person_twice_in_one_batch_is_refused(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    commitments, tags = people(3)
    with reverts_with("DuplicatePerson", tag=tags[0]):
        registering.add_members(registrar, 2, commitments, [tags[0], tags[1], tags[0]])
    assert registering.member_count(2) == 0


def test_every_member_carries_a_tag(registering: ElectionContract, registrar: LocalAccount) -> None:
    commitments, tags = people(2)
    with reverts_with("MissingTag", commitment=commitments[1]):
        registering.add_members(registrar, 0, commitments, [tags[0], bytes(32)])
    call = registering.contract.functions.addMembers(0, commitments, tags[:1])
    with reverts_with("TagCountMismatch", commitments=2, tags=1):
        send(registering.w3, registrar, call)
    assert registering.member_count(0) == 0


# --- freeze -----------------------------------------------------------------------------------


def test_registration_after_the_freeze_is_refused(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    """Registers freeze when registration closes, before voting opens: no registrar (even with
    quota left) can add anyone, so every ballot proves against the district's final root."""
    mine(w3, calendar.registration_start)
    election.add_members(registrar, 0, *people(2))
    frozen_root = election.merkle_root(0)
    late = election.contract.functions.addMembers(0, *people(1, start=10))
    with reverts_with(
        "RegistrationClosed",
        now=calendar.voting_start,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        send_at(w3, registrar, late, calendar.voting_start)
    assert election.merkle_root(0) == frozen_root
    assert election.registrar_quota(registrar.address, 0).remaining == QUOTA - 2
