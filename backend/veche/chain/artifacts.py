"""Loads the committed contract artifacts and links library addresses into their bytecode."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eth_typing import ChecksumAddress, HexStr
from eth_utils import is_address, to_checksum_address

from veche.chain.paths import BUILD_DIR
from veche.errors import ArtifactError

LinkReferences = Mapping[str, Mapping[str, list[Mapping[str, int]]]]


@dataclass(frozen=True)
class Artifact:
    """One compiled contract, as written by `veche.chain.compile`."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: HexStr
    deployed_bytecode: HexStr
    link_references: LinkReferences
    deployed_link_references: LinkReferences
    deployed_immutable_references: Mapping[str, list[Mapping[str, int]]]

    @property
    def library_names(self) -> set[str]:
        """Names of the libraries that must be linked before deployment."""
        return {name for by_name in self.link_references.values() for name in by_name}

    def linked_bytecode(self, libraries: Mapping[str, str]) -> HexStr:
        """The creation bytecode with each library's address in place of its placeholder."""
        return link(self.bytecode, self.link_references, libraries, self.name)

    def linked_deployed_bytecode(self, libraries: Mapping[str, str]) -> HexStr:
        """The runtime bytecode as it is on chain once deployed with `libraries`."""
        return link(self.deployed_bytecode, self.deployed_link_references, libraries, self.name)


def load_artifact(name: str, build_dir: Path = BUILD_DIR) -> Artifact:
    """Reads `<build_dir>/<name>.json`; raises `ArtifactError` if it is missing or malformed."""
    return _load_artifact_cached(name, build_dir)


@cache
def _load_artifact_cached(name: str, build_dir: Path) -> Artifact:
    path = build_dir / f"{name}.json"
    try:
        data = json.loads(path.read_text())
        return Artifact(
            name=data["contractName"],
            abi=data["abi"],
            bytecode=data["bytecode"],
            deployed_bytecode=data["deployedBytecode"],
            link_references=data["linkReferences"],
            deployed_link_references=data["deployedLinkReferences"],
            deployed_immutable_references=data["deployedImmutableReferences"],
        )
    except FileNotFoundError:
        raise ArtifactError(f"no artifact {path} (run python -m veche.chain.compile)") from None
    except (ValueError, KeyError) as error:
        raise ArtifactError(f"malformed artifact {path}: {error}") from None


def link(
    bytecode: str,
    link_references: LinkReferences,
    libraries: Mapping[str, str],
    contract_name: str = "contract",
) -> HexStr:
    """Writes each library's address over its placeholders, at the offsets solc reported.

    Raises `ArtifactError` if a library the bytecode needs is not in `libraries`, or if an
    address is invalid. Extra entries in `libraries` are ignored.
    """
    text = bytecode.removeprefix("0x")
    for by_name in link_references.values():
        for library, places in by_name.items():
            address = _library_address(libraries, library, contract_name)[2:].lower()
            for place in places:
                start, end = 2 * place["start"], 2 * (place["start"] + place["length"])
                text = text[:start] + address + text[end:]
    if "__$" in text:
        raise ArtifactError(f"{contract_name} has a library placeholder no link reference names")
    return HexStr("0x" + text)


def _library_address(
    libraries: Mapping[str, str], library: str, contract_name: str
) -> ChecksumAddress:
    if library not in libraries:
        raise ArtifactError(f"{contract_name} needs library {library}, which was not given")
    address = libraries[library]
    if not is_address(address):
        raise ArtifactError(f"library {library} has an invalid address {address!r}")
    return to_checksum_address(address)
