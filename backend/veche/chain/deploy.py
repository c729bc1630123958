"""Deploys an election: the PoseidonT3 library, the Groth16 verifier, and the Election itself,
from explicit settings or straight from an election definition.

With a `DeployJournal` every contract is recorded as it goes, so that a deployment run twice
deploys once and a killed one resumes (`veche.chain.journal`); `estimate_deploy` prices the
same transactions without sending anything (`veche deploy --dry-run`).
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract.contract import ContractConstructor

from veche.ceremony.pin import (
    DEV_VERIFICATION_KEY,
    ENCRYPTED_DEV_VERIFICATION_KEY,
    DevKeyInProduction,
    check_key,
    development_key_sha256,
    key_sha256,
    production,
)
from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.client import GAS_ESTIMATE_MARGIN, send
from veche.chain.election import DistrictConfig, ElectionContract, RegistrarGrant
from veche.chain.journal import DeployJournal
from veche.chain.transactions import create_address
from veche.chain.verifier import compile_verifier
from veche.definition import ElectionDefinition, definition_hash
from veche.errors import ChainError, VecheError
from veche.model.calendar import Calendar
from veche.protocol.records import BallotMode, BallotSecrecy
from veche.protocol.spec import (
    RECOVERY_APPROVALS,
)


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
    *,
    journal: DeployJournal | None = None,
) -> ChecksumAddress:
    """Deploys `artifact` with constructor `args`, linking `libraries`; returns its address.
    With a `journal`, a contract it records is not deployed again."""
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.linked_bytecode(libraries or {}))
    return _deploy(w3, deployer, artifact.name, factory.constructor(*args), journal)


def _deploy(
    w3: Web3,
    deployer: LocalAccount,
    name: str,
    constructor: ContractConstructor,
    journal: DeployJournal | None,
) -> ChecksumAddress:
    if journal is not None:
        return journal.deploy(w3, deployer, name, constructor)
    address = send(w3, deployer, constructor)["contractAddress"]
    if address is None:
        raise ChainError(f"deploying {name} returned no contract address")
    return to_checksum_address(address)


def _verifier_constructor(w3: Web3, verification_key: Path | None) -> ContractConstructor:
    """The committed verifier for the development key (the default) or for the development
    election key's encrypted ballot circuit, else the one generated from `verification_key`
    and compiled here (`veche.chain.verifier`)."""
    if verification_key is None:
        verification_key = DEV_VERIFICATION_KEY
    found = key_sha256(verification_key)
    committed = {development_key_sha256(): "Groth16Verifier"}
    if ENCRYPTED_DEV_VERIFICATION_KEY.is_file():
        committed[key_sha256(ENCRYPTED_DEV_VERIFICATION_KEY)] = "EncryptedBallotVerifier"
    if found in committed:
        artifact = load_artifact(committed[found])
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    else:
        compiled = compile_verifier(verification_key)
        factory = w3.eth.contract(
            abi=compiled["abi"], bytecode=compiled["evm"]["bytecode"]["object"]
        )
    return factory.constructor()


def deploy_libraries(
    w3: Web3,
    deployer: LocalAccount,
    verification_key: Path | None = None,
    *,
    journal: DeployJournal | None = None,
) -> Libraries:
    """Deploys the Groth16 verifier and PoseidonT3 (in this order), which any number of
    elections can share.

    The verifier is the committed one for the development key (the default), else the one
    generated from `verification_key` and compiled here (`veche.chain.verifier`)."""
    verifier = _deploy(
        w3, deployer, "Groth16Verifier", _verifier_constructor(w3, verification_key), journal
    )
    return Libraries(
        poseidon_t3=deploy_contract(w3, deployer, load_artifact("PoseidonT3"), journal=journal),
        verifier=verifier,
    )


def deploy_encrypted_verifier(
    w3: Web3,
    deployer: LocalAccount,
    verification_key: Path,
    *,
    journal: DeployJournal | None = None,
) -> ChecksumAddress:
    """Deploys the verifier of an election key's encrypted ballot circuit (39 public signals),
    generated from its `verification_key` and compiled here: one per election key."""
    compiled = compile_verifier(verification_key)
    factory = w3.eth.contract(abi=compiled["abi"], bytecode=compiled["evm"]["bytecode"]["object"])
    return _deploy(w3, deployer, "EncryptedBallotVerifier", factory.constructor(), journal)


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
    journal: DeployJournal | None = None,
    recovery_approvals: int = RECOVERY_APPROVALS,
    ballot_mode: BallotMode = BallotMode.VERIFIED,
    election_key_hash: bytes | None = None,
) -> ElectionContract:
    """Deploys an Election from `deployer`, managed by `organizer` (default: the deployer), with
    the registrars' quotas of `registrars` from the start, taking ballots in `ballot_mode`.

    With `election_key_hash` (keccak256 of the election key's 16 option keys) the ballots are
    encrypted, and `libraries.verifier` must be the verifier of that key's encrypted ballot
    circuit (`deploy_encrypted_verifier`).

    The organizer may be any address, a multisig for instance: it need not send anything at
    deployment. Deploys fresh `Libraries` unless shared ones are given. A refused
    configuration (a calendar out of order, a district without options...) raises
    `ContractRevert` with the contract's error, before any gas is spent on the Election itself.
    """
    if len(definition_hash) != 32:
        raise VecheError(f"a definition hash is 32 bytes, got {len(definition_hash)}")
    shared = libraries or deploy_libraries(w3, deployer, journal=journal)
    address = deploy_contract(
        w3,
        deployer,
        load_artifact("Election"),
        args=_election_args(
            organizer or deployer.address,
            shared,
            calendar,
            districts,
            definition_hash,
            registrars,
            recovery_approvals,
            ballot_mode,
            election_key_hash,
        ),
        libraries={"PoseidonT3": shared.poseidon_t3},
        journal=journal,
    )
    return ElectionContract(w3, address)


def _election_args(
    organizer: str,
    libraries: Libraries,
    calendar: Calendar,
    districts: Sequence[DistrictConfig],
    definition_hash: bytes,
    registrars: Sequence[RegistrarGrant],
    recovery_approvals: int = RECOVERY_APPROVALS,
    ballot_mode: BallotMode = BallotMode.VERIFIED,
    election_key_hash: bytes | None = None,
) -> tuple[Any, ...]:
    if election_key_hash is not None and len(election_key_hash) != 32:
        raise VecheError(f"an election key hash is 32 bytes, got {len(election_key_hash)}")
    secrecy = BallotSecrecy.PLAIN if election_key_hash is None else BallotSecrecy.ENCRYPTED
    return (
        to_checksum_address(organizer),
        libraries.verifier,
        calendar.as_tuple(),
        [district.as_tuple() for district in districts],
        bytes(definition_hash),
        [grant.as_tuple() for grant in registrars],
        recovery_approvals,
        ballot_mode.contract,
        (secrecy.contract, bytes(election_key_hash or bytes(32))),
    )


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
    journal: DeployJournal | None = None,
) -> ElectionContract:
    """Deploys the election a definition describes, with its hash stored on chain (recording
    each contract in `journal`, if given, so that a second run deploys nothing).

    The verification key (default: the development key) must be the one the definition pins,
    and production mode refuses the development key (`veche.ceremony.pin`); unless shared
    `libraries` are given, the verifier deployed is the one generated from that key.

    `calendar_override` replaces the definition's calendar on chain (for demos and tests that
    cannot wait for real dates); the stored hash is still the definition's own, so a recount
    that compares calendars will see the difference.
    """
    key = verification_key or _default_verification_key(definition)
    check_key(key, definition.verification_key_sha256, who="deploy")
    return deploy_election(
        w3,
        deployer,
        organizer=organizer,
        calendar=calendar_override or calendar_from_definition(definition),
        districts=districts_from_definition(definition),
        definition_hash=definition_hash(definition),
        registrars=registrars,
        libraries=libraries or deploy_libraries(w3, deployer, key, journal=journal),
        journal=journal,
        ballot_mode=definition.ballot_mode,
        recovery_approvals=definition.effective_recovery_approvals,
        election_key_hash=election_key_hash(definition),
    )


def _default_verification_key(definition: ElectionDefinition) -> Path:
    """The development key of the definition's ballot circuit: the plain one, or the encrypted
    one of the development election key."""
    if definition.ballot_secrecy is BallotSecrecy.ENCRYPTED:
        return ENCRYPTED_DEV_VERIFICATION_KEY
    return DEV_VERIFICATION_KEY


def election_key_hash(definition: ElectionDefinition) -> bytes | None:
    """keccak256 of the option keys of the definition's election key file (None for plain
    ballots), after checking that the file is still the one whose sha256 the definition
    pins."""
    if definition.ballot_secrecy is not BallotSecrecy.ENCRYPTED:
        return None
    # The trustees' package is only needed by encrypted elections.
    from veche.trustees.key import ElectionKey

    path, pinned = definition.election_key, definition.election_key_sha256
    if path is None or pinned is None:
        raise VecheError("an encrypted definition names its election key file")
    try:
        found = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise VecheError(f"cannot read the election key {path}: {exc.strerror}") from None
    if found != pinned:
        raise VecheError(
            f"the election key {path} has sha256 {found}, but the definition pins {pinned}: "
            "refusing another key"
        )
    key_hash = ElectionKey.load(path).key_hash()
    if production() and key_hash == development_election_key_hash():
        raise DevKeyInProduction(
            f"deploy: {path} is Veche's DEVELOPMENT election key (a dealer made it and its "
            "trustee shares are in the repository: anyone can decrypt every ballot); production "
            "needs a key from the trustees' `veche trustee dkg`"
        )
    return key_hash


def development_election_key_hash() -> bytes:
    """The option keys' hash of the repository's development election key."""
    from veche.trustees.development import DEVELOPMENT_KEY
    from veche.trustees.key import ElectionKey

    return ElectionKey.load(DEVELOPMENT_KEY).key_hash()


@dataclass(frozen=True)
class DeployEstimate:
    """The gas one contract's deployment needs (`eth_estimateGas`, nothing sent)."""

    name: str
    gas: int
    """The node's estimate."""
    gas_limit: int
    """What the deploy sends as its limit (the estimate plus `GAS_ESTIMATE_MARGIN`)."""


def estimate_deploy(
    w3: Web3,
    deployer: str,
    definition: ElectionDefinition,
    *,
    organizer: str | None = None,
    registrars: Sequence[RegistrarGrant] = (),
    verification_key: Path | None = None,
) -> list[DeployEstimate]:
    """The gas of each transaction `deploy_from_definition` would send from `deployer`, in
    order, estimated by the node without sending anything (the Election's libraries at the
    addresses the two first transactions would create)."""
    key = verification_key or _default_verification_key(definition)
    check_key(key, definition.verification_key_sha256, who="deploy")
    nonce = int(w3.eth.get_transaction_count(to_checksum_address(deployer), "pending"))
    libraries = Libraries(
        verifier=create_address(deployer, nonce), poseidon_t3=create_address(deployer, nonce + 1)
    )
    election = load_artifact("Election")
    factory = w3.eth.contract(
        abi=election.abi,
        bytecode=election.linked_bytecode({"PoseidonT3": libraries.poseidon_t3}),
    )
    poseidon = load_artifact("PoseidonT3")
    steps: list[tuple[str, ContractConstructor]] = [
        ("Groth16Verifier", _verifier_constructor(w3, key)),
        ("PoseidonT3", w3.eth.contract(abi=poseidon.abi, bytecode=poseidon.bytecode).constructor()),
        (
            "Election",
            factory.constructor(
                *_election_args(
                    organizer or deployer,
                    libraries,
                    calendar_from_definition(definition),
                    districts_from_definition(definition),
                    definition_hash(definition),
                    registrars,
                    definition.effective_recovery_approvals,
                    ballot_mode=definition.ballot_mode,
                    election_key_hash=election_key_hash(definition),
                )
            ),
        ),
    ]
    estimates = []
    for name, constructor in steps:
        gas = int(constructor.estimate_gas({"from": to_checksum_address(deployer)}))
        estimates.append(DeployEstimate(name, gas, int(gas * GAS_ESTIMATE_MARGIN)))
    return estimates
