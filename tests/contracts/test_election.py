"""Election set-up, registrars and the register, on a real anvil chain.

Every refusal is asserted with its exact custom error and values: the values are what an
organizer, registrar or observer reads to understand what went wrong.
"""

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3

from tests.contracts.conftest import OPTIONS
from tests.contracts.reverts import reverts_with
from veche.chain.anvil import mine, set_next_timestamp
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.hashing import election_scope, semaphore_hash
from veche.crypto.imt import LeanIMT

pytestmark = pytest.mark.chain

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617
REGISTER_SIZE_SLOT = 1
"""Storage slot of `_register.size` (after `_options` at slot 0); checked by a test below."""


def commitments(count: int, start: int = 1) -> list[int]:
    """Distinct field elements standing in for identity commitments."""
    return [semaphore_hash(i) for i in range(start, start + count)]


# --- deployment -------------------------------------------------------------------------------


def test_deployment_publishes_organizer_calendar_options_and_registrars(
    election: ElectionContract,
    organizer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    assert election.organizer() == organizer.address
    assert election.verifier() == libraries.verifier
    assert election.calendar() == calendar
    assert election.options() == list(OPTIONS)
    assert election.option_count() == len(OPTIONS)
    assert election.is_registrar(registrar.address)
    assert not election.is_registrar(outsider.address)
    assert (election.member_count(), election.merkle_root(), election.ballot_count()) == (0, 0, 0)


def test_scope_binds_the_chain_id_and_the_election_address(
    w3: Web3, election: ElectionContract
) -> None:
    scope = election_scope(w3.eth.chain_id, election.address)
    assert election.scope() == scope
    assert election.scope_signal() == semaphore_hash(scope)


def test_two_elections_have_different_scopes(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    other = deploy_election(w3, organizer, options=OPTIONS, calendar=calendar, libraries=libraries)
    assert other.scope() != election.scope()


@pytest.mark.parametrize(
    "offsets",
    [
        pytest.param((100, 100, 200, 300), id="empty-registration"),
        pytest.param((100, 50, 200, 300), id="registration-ends-before-start"),
        pytest.param((100, 201, 200, 300), id="registration-overlaps-voting"),
        pytest.param((100, 200, 300, 300), id="empty-voting"),
    ],
)
def test_calendar_out_of_order_is_refused(
    w3: Web3,
    organizer: LocalAccount,
    libraries: Libraries,
    offsets: tuple[int, int, int, int],
) -> None:
    base = 1_900_000_000
    calendar = Calendar.unchecked(*(base + offset for offset in offsets))
    with reverts_with(
        "InvalidCalendar",
        registrationStart=calendar.registration_start,
        registrationEnd=calendar.registration_end,
        votingStart=calendar.voting_start,
        votingEnd=calendar.voting_end,
    ):
        deploy_election(w3, organizer, options=OPTIONS, calendar=calendar, libraries=libraries)


def test_registration_may_end_the_second_voting_starts(
    w3: Web3, organizer: LocalAccount, libraries: Libraries
) -> None:
    calendar = Calendar(1_900_000_000, 1_900_000_100, 1_900_000_100, 1_900_000_200)
    election = deploy_election(
        w3, organizer, options=OPTIONS, calendar=calendar, libraries=libraries
    )
    assert election.calendar() == calendar


def test_an_election_needs_at_least_two_options(
    w3: Web3, organizer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    with reverts_with("InvalidOptionCount", count=1):
        deploy_election(w3, organizer, options=["Alone"], calendar=calendar, libraries=libraries)


def test_an_option_label_cannot_be_empty(
    w3: Web3, organizer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    with reverts_with("EmptyOption", index=1):
        deploy_election(
            w3, organizer, options=["Yes", "", "No"], calendar=calendar, libraries=libraries
        )


def test_an_election_needs_a_verifier(
    w3: Web3, organizer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    no_verifier = Libraries(poseidon_t3=libraries.poseidon_t3, verifier=_ZERO_ADDRESS)
    with reverts_with("InvalidVerifier", verifier=_ZERO_ADDRESS):
        deploy_election(w3, organizer, options=OPTIONS, calendar=calendar, libraries=no_verifier)


def test_a_registrar_listed_twice_at_deployment_is_refused(
    w3: Web3,
    organizer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    with reverts_with("RegistrarAlreadyAuthorized", registrar=registrar.address):
        deploy_election(
            w3,
            organizer,
            options=OPTIONS,
            calendar=calendar,
            registrars=[registrar.address, registrar.address],
            libraries=libraries,
        )


_ZERO_ADDRESS = to_checksum_address("0x0000000000000000000000000000000000000000")


# --- registrars -------------------------------------------------------------------------------


def test_organizer_authorizes_a_registrar_who_can_then_register_voters(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
) -> None:
    receipt = election.authorize_registrar(organizer, outsider.address)
    (event,) = election.contract.events.RegistrarAuthorized().process_receipt(receipt)
    assert event["args"]["registrar"] == outsider.address
    assert election.is_registrar(outsider.address)

    mine(w3, calendar.registration_start)
    election.add_members(outsider, commitments(1))
    assert election.member_count() == 1


def test_only_the_organizer_manages_registrars(
    election: ElectionContract, registrar: LocalAccount, outsider: LocalAccount
) -> None:
    with reverts_with("NotOrganizer", caller=registrar.address):
        election.authorize_registrar(registrar, outsider.address)
    with reverts_with("NotOrganizer", caller=registrar.address):
        election.revoke_registrar(registrar, registrar.address)


def test_a_revoked_registrar_can_no_longer_register_voters(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
) -> None:
    mine(w3, calendar.registration_start)
    election.add_members(registrar, commitments(2))
    receipt = election.revoke_registrar(organizer, registrar.address)
    (event,) = election.contract.events.RegistrarRevoked().process_receipt(receipt)
    assert event["args"]["registrar"] == registrar.address

    with reverts_with("NotRegistrar", caller=registrar.address):
        election.add_members(registrar, commitments(1, start=10))
    assert election.member_count() == 2, "members added before the revocation stay"


def test_registrar_changes_are_refused_from_the_end_of_registration(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
) -> None:
    set_next_timestamp(w3, calendar.registration_end)
    call = election.contract.functions.authorizeRegistrar(outsider.address)
    with reverts_with(
        "RegistrarChangesClosed",
        now=calendar.registration_end,
        registrationEnd=calendar.registration_end,
    ):
        send(w3, organizer, call, gas=200_000, simulate=False)


def test_registrar_bookkeeping_mistakes_are_refused(
    election: ElectionContract,
    organizer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
) -> None:
    with reverts_with("RegistrarAlreadyAuthorized", registrar=registrar.address):
        election.authorize_registrar(organizer, registrar.address)
    with reverts_with("RegistrarNotAuthorized", registrar=outsider.address):
        election.revoke_registrar(organizer, outsider.address)
    with reverts_with("InvalidRegistrar", registrar=_ZERO_ADDRESS):
        election.authorize_registrar(organizer, _ZERO_ADDRESS)


# --- the register -----------------------------------------------------------------------------


def test_an_account_that_is_not_a_registrar_cannot_register_voters(
    w3: Web3, election: ElectionContract, outsider: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_start)
    with reverts_with("NotRegistrar", caller=outsider.address):
        election.add_members(outsider, commitments(1))


def test_registration_is_refused_one_second_before_it_opens(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    set_next_timestamp(w3, calendar.registration_start - 1)
    call = election.contract.functions.addMembers(commitments(1))
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_start - 1,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        send(w3, registrar, call, gas=500_000, simulate=False)


def test_registration_opens_at_its_first_second(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    set_next_timestamp(w3, calendar.registration_start)
    call = election.contract.functions.addMembers(commitments(1))
    send(w3, registrar, call, gas=500_000, simulate=False)
    assert election.member_count() == 1


def test_registration_closes_at_its_end(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_end - 2)
    set_next_timestamp(w3, calendar.registration_end - 1)
    send(w3, registrar, election.contract.functions.addMembers(commitments(1)), gas=500_000)
    set_next_timestamp(w3, calendar.registration_end)
    call = election.contract.functions.addMembers(commitments(1, start=2))
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_end,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        send(w3, registrar, call, gas=500_000, simulate=False)
    assert election.member_count() == 1


def test_members_are_logged_in_order_with_the_root_of_their_batch(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_start)
    first, second = commitments(3), commitments(2, start=4)
    first_receipt = election.add_members(registrar, first)
    second_receipt = election.add_members(registrar, second)

    events = election.member_events()
    assert [e.index for e in events] == [0, 1, 2, 3, 4]
    assert [e.commitment for e in events] == first + second
    assert {e.registrar for e in events} == {registrar.address}
    assert [e.merkle_root for e in events] == [LeanIMT(first).root] * 3 + [
        LeanIMT(first + second).root
    ] * 2
    assert [e.tx_hash for e in events] == [first_receipt["transactionHash"]] * 3 + [
        second_receipt["transactionHash"]
    ] * 2
    assert election.member_count() == 5
    assert election.merkle_root() == LeanIMT(first + second).root


def test_a_commitment_already_registered_is_refused(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_start)
    election.add_members(registrar, commitments(3))
    duplicate = commitments(1, start=2)[0]
    with reverts_with("DuplicateCommitment", commitment=duplicate):
        election.add_members(registrar, [*commitments(1, start=10), duplicate])
    assert election.member_count() == 3


def test_a_commitment_repeated_in_one_batch_is_refused(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_start)
    repeated = commitments(1)[0]
    with reverts_with("LeafAlreadyExists"):
        election.add_members(registrar, [repeated, *commitments(1, start=2), repeated])
    assert election.member_count() == 0


@pytest.mark.parametrize("bad", [0, FIELD, 2**256 - 1], ids=["zero", "field-order", "max-uint"])
def test_a_commitment_outside_the_field_is_refused(
    w3: Web3,
    election: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    bad: int,
) -> None:
    mine(w3, calendar.registration_start)
    with reverts_with("InvalidCommitment", commitment=bad):
        election.add_members(registrar, [*commitments(1), bad])


def test_an_empty_batch_is_refused(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.registration_start)
    with reverts_with("EmptyBatch"):
        election.add_members(registrar, [])


def test_the_register_refuses_members_beyond_the_circuit_capacity(
    w3: Web3, election: ElectionContract, registrar: LocalAccount, calendar: Calendar
) -> None:
    capacity = 2**20
    mine(w3, calendar.registration_start)
    election.add_members(registrar, commitments(3))
    assert _storage(w3, election, REGISTER_SIZE_SLOT) == 3, "storage layout assumption broke"
    # Filling 2**20 members would take hours; pretend the register is one short of full.
    _set_storage(w3, election, REGISTER_SIZE_SLOT, capacity - 1)

    with reverts_with("RegisterFull", memberCount=capacity - 1, batchSize=2, capacity=capacity):
        election.add_members(registrar, commitments(2, start=10))
    election.add_members(registrar, commitments(1, start=10))
    assert election.member_count() == capacity
    with reverts_with("RegisterFull", memberCount=capacity, batchSize=1, capacity=capacity):
        election.add_members(registrar, commitments(1, start=20))


def _storage(w3: Web3, election: ElectionContract, slot: int) -> int:
    return int.from_bytes(w3.eth.get_storage_at(election.address, slot), "big")


def _set_storage(w3: Web3, election: ElectionContract, slot: int, value: int) -> None:
    w3.provider.make_request(
        "anvil_setStorageAt",  # type: ignore[arg-type]
        [election.address, hex(slot), "0x" + value.to_bytes(32, "big").hex()],
    )
