"""Election set-up, registrars and the per-district registers, on a real anvil chain.

Every refusal is asserted with its exact custom error and values: the values are what an
organizer, registrar or observer reads to understand what went wrong.
"""

from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from tests.contracts.conftest import DEFINITION_HASH, DISTRICTS
from tests.contracts.reverts import reverts_with
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.deploy import (
    Libraries,
    calendar_from_definition,
    deploy_election,
    deploy_from_definition,
)
from veche.chain.election import (
    Calendar,
    DistrictConfig,
    DistrictState,
    ElectionContract,
    Phase,
    RegistrarGrant,
)
from veche.crypto.hashing import election_scope, semaphore_hash
from veche.crypto.imt import LeanIMT
from veche.definition import definition_hash, load

pytestmark = pytest.mark.chain

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617
CAPACITY = 2**20
DEMO_DEFINITION = Path(__file__).resolve().parents[2] / "examples" / "demo.toml"
_ZERO_ADDRESS = to_checksum_address("0x" + "00" * 20)


def commitments(count: int, start: int = 1) -> list[int]:
    """Distinct field elements standing in for identity commitments."""
    return [semaphore_hash(i) for i in range(start, start + count)]


def register_size_slot(district: int) -> int:
    """Storage slot of district `district`'s `register.size`: `_districts` is the mapping at
    slot 0, and the register is the first member of its value (checked by a test below)."""
    return int.from_bytes(keccak(district.to_bytes(32, "big") + bytes(32)), "big")


def deploy(
    w3: Web3,
    deployer: LocalAccount,
    libraries: Libraries,
    calendar: Calendar,
    *,
    districts: tuple[DistrictConfig, ...] | list[DistrictConfig] = DISTRICTS,
    definition: bytes = DEFINITION_HASH,
    organizer: str | None = None,
    registrars: tuple[RegistrarGrant, ...] = (),
) -> ElectionContract:
    return deploy_election(
        w3,
        deployer,
        organizer=organizer,
        calendar=calendar,
        districts=districts,
        definition_hash=definition,
        registrars=registrars,
        libraries=libraries,
    )


# --- deployment -------------------------------------------------------------------------------


def test_deployment_publishes_organizer_calendar_districts_definition_and_registrars(
    election: ElectionContract,
    deployer: LocalAccount,
    organizer: LocalAccount,
    registrar: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    assert election.organizer() == organizer.address != deployer.address
    assert election.verifier() == libraries.verifier
    assert election.calendar() == calendar
    assert election.phase() == Phase.SETUP
    assert election.definition_hash() == DEFINITION_HASH
    assert election.district_count() == len(DISTRICTS)
    assert election.districts() == [
        DistrictState(d.option_count, d.minimum_members, 0, False, 0) for d in DISTRICTS
    ]
    assert election.is_registrar(registrar.address)
    assert not election.is_registrar(outsider.address)
    assert (election.total_members(), election.ballot_count(), election.result_hash()) == (
        0,
        0,
        None,
    )


def test_the_organizer_defaults_to_the_deployer(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    assert deploy(w3, deployer, libraries, calendar).organizer() == deployer.address


def test_an_election_deploys_from_its_definition_file_with_the_definitions_hash(
    w3: Web3, deployer: LocalAccount, organizer: LocalAccount, libraries: Libraries
) -> None:
    definition = load(DEMO_DEFINITION)
    election = deploy_from_definition(
        w3, deployer, definition, organizer=organizer.address, libraries=libraries
    )
    assert election.definition_hash() == definition_hash(definition)
    assert election.calendar() == calendar_from_definition(definition)
    assert election.calendar().appeals_end == definition.calendar.appeals_end
    assert [(d.option_count, d.minimum_members) for d in election.districts()] == [
        (len(district.lists), district.min_registered) for district in definition.districts
    ]
    assert election.organizer() == organizer.address


def test_a_definition_can_be_deployed_with_another_calendar(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    definition = load(DEMO_DEFINITION)
    election = deploy_from_definition(
        w3, deployer, definition, calendar_override=calendar, libraries=libraries
    )
    assert election.calendar() == calendar
    assert election.definition_hash() == definition_hash(definition)


def test_scope_binds_the_chain_id_and_the_election_address(
    w3: Web3, election: ElectionContract
) -> None:
    scope = election_scope(w3.eth.chain_id, election.address)
    assert election.scope() == scope
    assert election.scope_signal() == semaphore_hash(scope)


def test_two_elections_have_different_scopes(
    w3: Web3,
    election: ElectionContract,
    deployer: LocalAccount,
    calendar: Calendar,
    libraries: Libraries,
) -> None:
    assert deploy(w3, deployer, libraries, calendar).scope() != election.scope()


@pytest.mark.parametrize(
    "offsets",
    [
        pytest.param((100, 100, 200, 300, 400), id="empty-registration"),
        pytest.param((100, 50, 200, 300, 400), id="registration-ends-before-start"),
        pytest.param((100, 201, 200, 300, 400), id="registration-overlaps-voting"),
        pytest.param((100, 200, 300, 300, 400), id="empty-voting"),
        pytest.param((100, 200, 300, 400, 400), id="empty-appeals"),
        pytest.param((100, 200, 300, 400, 350), id="appeals-end-before-voting-ends"),
    ],
)
def test_calendar_out_of_order_is_refused(
    w3: Web3,
    deployer: LocalAccount,
    libraries: Libraries,
    offsets: tuple[int, int, int, int, int],
) -> None:
    calendar = Calendar.unchecked(*(1_900_000_000 + offset for offset in offsets))
    with reverts_with(
        "InvalidCalendar",
        registrationStart=calendar.registration_start,
        registrationEnd=calendar.registration_end,
        votingStart=calendar.voting_start,
        votingEnd=calendar.voting_end,
        appealsEnd=calendar.appeals_end,
    ):
        deploy(w3, deployer, libraries, calendar)


def test_registration_may_end_the_second_voting_starts(
    w3: Web3, deployer: LocalAccount, libraries: Libraries
) -> None:
    calendar = Calendar(1_900_000_000, 1_900_000_100, 1_900_000_100, 1_900_000_200, 1_900_000_300)
    assert deploy(w3, deployer, libraries, calendar).calendar() == calendar


@pytest.mark.parametrize("count", [0, 256])
def test_an_election_has_between_one_and_255_districts(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries, count: int
) -> None:
    with reverts_with("InvalidDistrictCount", count=count):
        deploy(w3, deployer, libraries, calendar, districts=[DistrictConfig(2, 1)] * count)


def test_an_election_may_have_255_districts_of_a_single_list(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    election = deploy(w3, deployer, libraries, calendar, districts=[DistrictConfig(1, 1)] * 255)
    assert election.district_count() == 255
    assert election.district(254).option_count == 1


def test_a_district_without_options_is_refused(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    districts = [DistrictConfig(2, 1), DistrictConfig(0, 1)]
    with reverts_with("InvalidOptionCount", district=1, optionCount=0):
        deploy(w3, deployer, libraries, calendar, districts=districts)


@pytest.mark.parametrize("minimum", [0, CAPACITY + 1])
def test_a_district_minimum_must_be_reachable_and_positive(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries, minimum: int
) -> None:
    districts = [DistrictConfig(2, 1), DistrictConfig(2, 1), DistrictConfig(2, minimum)]
    with reverts_with(
        "InvalidMinimumMembers", district=2, minimumMembers=minimum, capacity=CAPACITY
    ):
        deploy(w3, deployer, libraries, calendar, districts=districts)


def test_an_election_must_publish_its_definition_hash(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    with reverts_with("MissingDefinitionHash"):
        deploy(w3, deployer, libraries, calendar, definition=bytes(32))


def test_an_election_needs_an_organizer_and_a_verifier(
    w3: Web3, deployer: LocalAccount, calendar: Calendar, libraries: Libraries
) -> None:
    with reverts_with("InvalidOrganizer", organizer=_ZERO_ADDRESS):
        deploy(w3, deployer, libraries, calendar, organizer=_ZERO_ADDRESS)
    no_verifier = Libraries(poseidon_t3=libraries.poseidon_t3, verifier=_ZERO_ADDRESS)
    with reverts_with("InvalidVerifier", verifier=_ZERO_ADDRESS):
        deploy(w3, deployer, no_verifier, calendar)


# --- the registers ----------------------------------------------------------------------------


@pytest.fixture
def registering(w3: Web3, election: ElectionContract, calendar: Calendar) -> ElectionContract:
    """The election at the first second of registration."""
    mine(w3, calendar.registration_start)
    return election


def test_an_account_that_is_not_a_registrar_cannot_register_voters(
    registering: ElectionContract, outsider: LocalAccount
) -> None:
    with reverts_with("NotRegistrar", caller=outsider.address):
        registering.add_members(outsider, 0, commitments(1), stand_in_tags(commitments(1)))


def test_each_district_has_its_own_register_logged_in_order(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    north, south, more_north = commitments(3), commitments(2, start=4), commitments(2, start=6)
    first = registering.add_members(registrar, 0, north, stand_in_tags(north))
    registering.add_members(registrar, 1, south, stand_in_tags(south))
    registering.add_members(registrar, 0, more_north, stand_in_tags(more_north))

    assert registering.merkle_root(0) == LeanIMT(north + more_north).root
    assert registering.merkle_root(1) == LeanIMT(south).root
    assert registering.merkle_root(2) == 0
    assert [registering.member_count(d) for d in range(3)] == [5, 2, 0]
    assert registering.total_members() == 7
    assert registering.district(1) == DistrictState(2, 2, 2, False, LeanIMT(south).root)

    events = registering.member_events()
    assert [(e.district, e.index) for e in events] == [
        (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (0, 3), (0, 4),
    ]  # fmt: skip
    assert [e.commitment for e in events] == north + south + more_north
    assert [e.tag for e in events] == stand_in_tags(north + south + more_north)
    assert {e.registrar for e in events} == {registrar.address}
    assert [e.merkle_root for e in events[:3]] == [LeanIMT(north).root] * 3
    assert events[0].tx_hash == first["transactionHash"]
    assert [e.commitment for e in registering.member_events(district=1)] == south


def test_a_district_that_does_not_exist_is_refused(
    registering: ElectionContract, registrar: LocalAccount
) -> None:
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        registering.add_members(registrar, 3, commitments(1), stand_in_tags(commitments(1)))
    with reverts_with("UnknownDistrict", district=2**32 - 1, districtCount=3):
        registering.merkle_root(2**32 - 1)


@pytest.mark.parametrize("bad", [0, FIELD, 2**256 - 1], ids=["zero", "field-order", "max-uint"])
def test_a_commitment_outside_the_field_is_refused(
    registering: ElectionContract, registrar: LocalAccount, bad: int
) -> None:
    with reverts_with("InvalidCommitment", commitment=bad):
        batch = [*commitments(1), bad]
        registering.add_members(registrar, 0, batch, stand_in_tags(batch))


def test_an_empty_batch_is_refused(registering: ElectionContract, registrar: LocalAccount) -> None:
    with reverts_with("EmptyBatch"):
        registering.add_members(registrar, 0, [], stand_in_tags([]))


def test_a_register_refuses_members_beyond_the_circuit_capacity(
    w3: Web3, registering: ElectionContract, registrar: LocalAccount
) -> None:
    registering.add_members(registrar, 1, commitments(3), stand_in_tags(commitments(3)))
    assert _storage(w3, registering, register_size_slot(1)) == 3, "storage layout assumption broke"
    # Filling 2**20 members would take hours; pretend the register is one short of full.
    _set_storage(w3, registering, register_size_slot(1), CAPACITY - 1)

    with reverts_with(
        "RegisterFull", district=1, memberCount=CAPACITY - 1, batchSize=2, capacity=CAPACITY
    ):
        registering.add_members(
            registrar, 1, commitments(2, start=10), stand_in_tags(commitments(2, start=10))
        )
    registering.add_members(
        registrar, 1, commitments(1, start=10), stand_in_tags(commitments(1, start=10))
    )
    assert registering.member_count(1) == CAPACITY
    with reverts_with(
        "RegisterFull", district=1, memberCount=CAPACITY, batchSize=1, capacity=CAPACITY
    ):
        registering.add_members(
            registrar, 1, commitments(1, start=20), stand_in_tags(commitments(1, start=20))
        )
    registering.add_members(
        registrar, 0, commitments(1, start=20), stand_in_tags(commitments(1, start=20))
    )  # other districts are not full


def _storage(w3: Web3, election: ElectionContract, slot: int) -> int:
    return int.from_bytes(w3.eth.get_storage_at(election.address, slot), "big")


def _set_storage(w3: Web3, election: ElectionContract, slot: int, value: int) -> None:
    w3.provider.make_request(
        "anvil_setStorageAt",  # type: ignore[arg-type]
        [election.address, hex(slot), "0x" + value.to_bytes(32, "big").hex()],
    )
