"""The recount checks code, not constants: every contract an election runs on is rebuilt here.

The runtime bytecode at the Election's address, at its verifier's address and at each library it
links is compared with a reproducible build made on this machine: this repository's Solidity
sources compiled with the pinned compiler and settings (`contracts/solc.json`), and a verifier
generated from the verification key the recount uses (`veche.chain.verifier_source`). An
outsider needs only the repository and the chain.

What may legitimately differ is masked by its references from the compiler's own output, never
guessed: immutables (written by the constructor), linked library addresses (each library is then
checked at the address found there), a library's own address (its call guard), and the CBOR
metadata trailer, whose hash covers source file names and comments rather than code. A verifier
that keeps every constant of the key but refuses some ballots differs in its code, and fails.

Builds are kept in `out/build-cache/`, named by the digest of every input (sources, compiler
settings, the compiler wrapper): a recount on a machine one does not trust starts without it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from web3 import Web3

from veche.chain.compile import compile_all, source_files
from veche.chain.paths import COMPILER_CONFIG, REPO_ROOT, SOLC_WRAPPER
from veche.chain.verifier import compile_verifier_source, verifier_source

Ranges = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class Reference:
    """Runtime code as built here, and the byte ranges that deployment may fill in."""

    name: str
    code: bytes
    libraries: Mapping[str, Ranges]
    """Library name -> where its address is written."""
    immutables: Ranges


@dataclass(frozen=True)
class CodeReport:
    """What the code check found; `problems` each name the contract that differs."""

    checked: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def verifier_matches(self) -> bool:
        return not any(p.startswith("verifier") for p in self.problems)


def strip_metadata(code: bytes) -> bytes:
    """The code without solc's CBOR metadata trailer (its length is in the last two bytes)."""
    if len(code) < 2:
        return code
    length = int.from_bytes(code[-2:], "big")
    trailer = code[-2 - length : -2]
    if (
        length + 2 <= len(code)
        and trailer[:1] in (b"\xa1", b"\xa2", b"\xa3")
        and b"solc" in trailer
    ):
        return code[: -2 - length]
    return code


def _ranges(references: Mapping[str, Any]) -> list[tuple[int, int]]:
    return [(int(r["start"]), int(r["length"])) for refs in references.values() for r in refs]


def _unhex(text: str) -> bytes:
    """Bytecode hex in which unlinked library placeholders (`__$...$__`) become zero bytes."""
    body = text.removeprefix("0x")
    out = []
    i = 0
    while i < len(body):
        if body[i] == "_":
            out.append("00" * 20)
            i += 40
        else:
            out.append(body[i : i + 2])
            i += 2
    return bytes.fromhex("".join(out))


def _reference(name: str, artifact: Mapping[str, Any]) -> Reference:
    libraries: dict[str, list[tuple[int, int]]] = {}
    for by_name in artifact.get("deployedLinkReferences", {}).values():
        for library, refs in by_name.items():
            libraries.setdefault(library, []).extend(
                (int(r["start"]), int(r["length"])) for r in refs
            )
    return Reference(
        name=name,
        code=_unhex(artifact["deployedBytecode"]),
        libraries=libraries,
        immutables=_ranges(artifact.get("deployedImmutableReferences", {})),
    )


CACHE_DIR = REPO_ROOT / "out" / "build-cache"
"""This machine's own earlier builds, by digest of every input: compiling takes seconds."""


def _build_digest(sources: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, content in sources:
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def _cached(kind: str, digest: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    path = CACHE_DIR / f"{kind}-{digest}.json"
    try:
        cached: dict[str, Any] = json.loads(path.read_text())
        return cached
    except (OSError, ValueError):
        pass
    built = build()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # A name of this process's own: two recounts (or test workers) may build at once.
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(built))
        temporary.replace(path)
    except OSError:
        pass  # a read-only checkout still recounts, only slower
    return built


def _compiler_inputs() -> list[tuple[str, bytes]]:
    return [
        (COMPILER_CONFIG.name, COMPILER_CONFIG.read_bytes()),
        (SOLC_WRAPPER.name, SOLC_WRAPPER.read_bytes()),
    ]


@cache
def repository_build() -> dict[str, Reference]:
    """This repository's contracts compiled with the pinned compiler (cached by content)."""
    inputs = _compiler_inputs() + [
        (path.relative_to(REPO_ROOT).as_posix(), path.read_bytes()) for path in source_files()
    ]
    artifacts = _cached("contracts", _build_digest(inputs), compile_all)
    return {name: _reference(name, artifact) for name, artifact in artifacts.items()}


def verifier_build(verification_key: Path) -> Reference:
    """The verifier generated from `verification_key`, compiled with the pinned compiler."""
    source = verifier_source(verification_key)
    inputs = [*_compiler_inputs(), ("Groth16Verifier.sol", source.encode())]
    compiled = _cached("verifier", _build_digest(inputs), lambda: compile_verifier_source(source))
    return _reference(
        "verifier",
        {"deployedBytecode": compiled["evm"]["deployedBytecode"]["object"]},
    )


def _first_difference(a: bytes | bytearray, b: bytes | bytearray) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def compare(on_chain: bytes, reference: Reference, masked: Iterable[tuple[int, int]]) -> str | None:
    """None if `on_chain` is `reference`'s code outside `masked` and the metadata; else why not."""
    if not on_chain:
        return "no code at that address"
    found, expected = bytearray(strip_metadata(on_chain)), bytearray(strip_metadata(reference.code))
    if len(found) != len(expected):
        return (
            f"its code is {len(found)} bytes, the reproducible build's {len(expected)} "
            f"(first difference at byte {_first_difference(found, expected)})"
        )
    for start, length in masked:
        found[start : start + length] = bytes(length)
        expected[start : start + length] = bytes(length)
    if found != expected:
        at = _first_difference(found, expected)
        return f"its code differs from the reproducible build at byte {at}"
    return None


def _library_guard(reference: Reference) -> list[tuple[int, int]]:
    """A library's runtime code starts with PUSH20 <its own address> (its call guard)."""
    if reference.code[:1] == b"\x73" and reference.code[1:21] == bytes(20):
        return [(1, 20)]
    return []


def check_election_code(
    w3: Web3, election: str, verifier: str, verification_key: Path, *, block: int | None = None
) -> CodeReport:
    """Compares the Election, its verifier and its libraries with a reproducible build (the
    code as of `block`, default the latest)."""
    at: Any = "latest" if block is None else block
    built = repository_build()
    problems: list[str] = []
    checked: list[str] = []

    election_ref = built["Election"]
    election_code = bytes(w3.eth.get_code(Web3.to_checksum_address(election), at))
    masks = [*election_ref.immutables, *(r for rs in election_ref.libraries.values() for r in rs)]
    why = compare(election_code, election_ref, masks)
    checked.append(f"Election at {election}")
    if why:
        problems.append(f"Election contract at {election}: {why}")
    else:
        for library, ranges in sorted(election_ref.libraries.items()):
            start, length = ranges[0]
            address = Web3.to_checksum_address(election_code[start : start + length])
            if any(
                election_code[s : s + n] != election_code[start : start + length] for s, n in ranges
            ):
                problems.append(f"library {library}: the Election links it at several addresses")
                continue
            library_ref = built[library]
            library_code = bytes(w3.eth.get_code(address, at))
            checked.append(f"library {library} at {address}")
            why = compare(library_code, library_ref, _library_guard(library_ref))
            if why:
                problems.append(f"library {library} at {address}: {why}")
            elif _library_guard(library_ref) and library_code[1:21] != bytes.fromhex(address[2:]):
                problems.append(f"library {library} at {address}: its guard names another address")

    verifier_ref = verifier_build(verification_key)
    checked.append(f"verifier at {verifier}")
    why = compare(bytes(w3.eth.get_code(Web3.to_checksum_address(verifier), at)), verifier_ref, ())
    if why:
        problems.append(
            f"verifier Groth16Verifier at {verifier}: {why} "
            f"(expected the verifier generated from {verification_key.name})"
        )
    return CodeReport(tuple(checked), tuple(problems))
