"""Deploys an election: the PoseidonT3 library, the Groth16 verifier, and the Election itself,
from explicit settings or straight from an election definition."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3 import Web3

from veche.ceremony.pin import DEV_VERIFICATION_KEY, check_key, development_key_sha256, key_sha256
from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.client import send
from veche.chain.election import DistrictConfig, ElectionContract, RegistrarGrant
from veche.chain.verifier import compile_verifier
from veche.definition import ElectionDefinition, definition_hash
from veche.errors import ChainError, VecheError
from veche.model.calendar import Calendar


@dataclass(frozen=True)
class Libraries:
    """Contracts an election needs that can be shared by every election on one chain."""

    poseidon_t3: ChecksumAddress
    verifier: ChecksumAddress


def deploy_contract(
    w3: Web3,
    deployer: LocalAccount,
    artifact: Artifact,
    args: Sequence[Any] = (),
    libraries: Mapping[str, str] | None = None,
) -> ChecksumAddress:
    """Deploys `artifact` with constructor `args`, linking `libraries`; returns its address."""
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.linked_bytecode(libraries or {}))
    receipt = send(w3, deployer, factory.constructor(*args))
    address = receipt["contractAddress"]
    if address is None:
        raise ChainError(f"deploying {artifact.name} returned no contract address")
    return to_checksum_address(address)


def deploy_libraries(
    w3: Web3, deployer: LocalAccount, verification_key: Path | None = None
) -> Libraries:
    """Deploys PoseidonT3 and the Groth16 verifier, which any number of elections can share.

    The verifier is the committed one for the development key (the default), else the one
    generated from `verification_key` and compiled here (`veche.chain.verifier`)."""
    if verification_key is None or key_sha256(verification_key) == development_key_sha256():
        verifier = deploy_contract(w3, deployer, load_artifact("Groth16Verifier"))
    else:
        compiled = compile_verifier(verification_key)
        factory = w3.eth.contract(
            abi=compiled["abi"], bytecode=compiled["evm"]["bytecode"]["object"]
        )
        address = send(w3, deployer, factory.constructor())["contractAddress"]
        if address is None:
            raise ChainError("deploying the verifier returned no contract address")
        verifier = to_checksum_address(address)
    return Libraries(
        poseidon_t3=deploy_contract(w3, deployer, load_artifact("PoseidonT3")),
        verifier=verifier,
    )


def deploy_election(
    w3: Web3,
    deployer: LocalAccount,
    *,
    organizer: str | None = None,
    calendar: Calendar,
    districts: Sequence[DistrictConfig],
    definition_hash: bytes,
    registrars: Sequence[RegistrarGrant] = (),
    libraries: Libraries | None = None,
) -> ElectionContract:
    """Deploys an Election from `deployer`, managed by `organizer` (default: the deployer), with
    the registrars' quotas of `registrars` from the start.

    The organizer may be any address, a multisig for instance: it need not send anything at
    deployment. Deploys fresh `Libraries` unless shared ones are given. A refused
    configuration (a calendar out of order, a district without options...) raises
    `ContractRevert` with the contract's error, before any gas is spent on the Election itself.
    """
    if len(definition_hash) != 32:
        raise VecheError(f"a definition hash is 32 bytes, got {len(definition_hash)}")
    shared = libraries or deploy_libraries(w3, deployer)
    address = deploy_contract(
        w3,
        deployer,
        load_artifact("Election"),
        args=(
            to_checksum_address(organizer or deployer.address),
            shared.verifier,
            calendar.as_tuple(),
            [district.as_tuple() for district in districts],
            bytes(definition_hash),
            [grant.as_tuple() for grant in registrars],
        ),
        libraries={"PoseidonT3": shared.poseidon_t3},
    )
    return ElectionContract(w3, address)


def calendar_from_definition(definition: ElectionDefinition) -> Calendar:
    """The on-chain calendar of a definition (its `result` time is a promise, not a phase the
    contract enforces: the result may be published at any time after appeals end)."""
    return definition.calendar.on_chain


def districts_from_definition(definition: ElectionDefinition) -> list[DistrictConfig]:
    """The definition's districts in order (district number = position in the file): one
    option per list on the district's ballot, and the district's minimum of registered voters."""
    return [
        DistrictConfig(option_count=len(district.lists), minimum_members=district.min_registered)
        for district in definition.districts
    ]


def deploy_from_definition(
    w3: Web3,
    deployer: LocalAccount,
    definition: ElectionDefinition,
    *,
    organizer: str | None = None,
    calendar_override: Calendar | None = None,
    registrars: Sequence[RegistrarGrant] = (),
    libraries: Libraries | None = None,
    verification_key: Path | None = None,
) -> ElectionContract:
    """Deploys the election a definition describes, with its hash stored on chain.

    The verification key (default: the development key) must be the one the definition pins,
    and production mode refuses the development key (`veche.ceremony.pin`); unless shared
    `libraries` are given, the verifier deployed is the one generated from that key.

    `calendar_override` replaces the definition's calendar on chain (for demos and tests that
    cannot wait for real dates); the stored hash is still the definition's own, so a recount
    that compares calendars will see the difference.
    """
    key = verification_key or DEV_VERIFICATION_KEY
    check_key(key, definition.verification_key_sha256, who="deploy")
    return deploy_election(
        w3,
        deployer,
        organizer=organizer,
        calendar=calendar_override or calendar_from_definition(definition),
        districts=districts_from_definition(definition),
        definition_hash=definition_hash(definition),
        registrars=registrars,
        libraries=libraries or deploy_libraries(w3, deployer, key),
    )
