"""Deploys an election: the PoseidonT3 library, the Groth16 verifier, and the Election itself."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3 import Web3

from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.client import send
from veche.chain.election import Calendar, ElectionContract
from veche.errors import ChainError


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


def deploy_libraries(w3: Web3, deployer: LocalAccount) -> Libraries:
    """Deploys PoseidonT3 and the Groth16 verifier, which any number of elections can share."""
    return Libraries(
        poseidon_t3=deploy_contract(w3, deployer, load_artifact("PoseidonT3")),
        verifier=deploy_contract(w3, deployer, load_artifact("Groth16Verifier")),
    )


def deploy_election(
    w3: Web3,
    organizer: LocalAccount,
    *,
    options: Sequence[str],
    calendar: Calendar,
    registrars: Sequence[str] = (),
    libraries: Libraries | None = None,
) -> ElectionContract:
    """Deploys an Election whose organizer is `organizer`.

    Deploys fresh `Libraries` unless shared ones are given. A refused configuration (e.g. a
    calendar out of order) raises `ContractRevert` with the contract's error, before any gas
    is spent on the Election itself.
    """
    shared = libraries or deploy_libraries(w3, organizer)
    address = deploy_contract(
        w3,
        organizer,
        load_artifact("Election"),
        args=(
            shared.verifier,
            calendar.as_tuple(),
            list(options),
            [to_checksum_address(registrar) for registrar in registrars],
        ),
        libraries={"PoseidonT3": shared.poseidon_t3},
    )
    return ElectionContract(w3, address)
