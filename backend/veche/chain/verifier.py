"""The Groth16 verifier contract of a verification key, generated and compiled on this machine.

`veche.chain.verifier_source` renders the verifier (one proof or a batch) from
`verification_key.json`, and the pinned compiler (`contracts/solc.json`) compiles it with its
interface, under the same source names as `make contracts`. The deploy uses it for a ceremony's
key; the recount rebuilds it to compare with the code on chain. The development key's verifier
is also committed as `contracts/verifiers/Groth16Verifier.sol`.
"""

import re
from functools import cache
from pathlib import Path
from typing import Any

import solcx
from solcx.exceptions import SolcError

from veche.chain.compile import compiler_config
from veche.chain.paths import NODE_MODULES, REPO_ROOT, SOLC_WRAPPER
from veche.chain.verifier_source import render
from veche.errors import CompileError

INTERFACE = REPO_ROOT / "contracts" / "interfaces" / "IGroth16Verifier.sol"


def verifier_source(verification_key: Path) -> str:
    """The Solidity verifier of this key (`veche.chain.verifier_source`)."""
    try:
        text = verification_key.read_text()
        shown = (
            verification_key.resolve().relative_to(REPO_ROOT).as_posix()
            if verification_key.resolve().is_relative_to(REPO_ROOT)
            else verification_key.name
        )
        return render(text, shown)
    except (OSError, ValueError, KeyError) as error:
        raise CompileError(
            f"cannot generate the verifier from {verification_key}: {error}"
        ) from None


@cache
def compile_verifier_source(source: str) -> dict[str, Any]:
    """solc's output for the verifier (abi, creation and runtime bytecode), pinned settings.
    The contract is named by its source (`Groth16Verifier`, or `Groth16Verifier<N>` for a key
    with N public signals other than 4), and so is the source file."""
    found = re.search(r"^contract (\w+)", source, re.MULTILINE)
    if found is None:
        raise CompileError("the verifier source declares no contract")
    name = found.group(1)
    source_name = f"contracts/verifiers/{name}.sol"
    _, settings = compiler_config()
    selection = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]
    standard_input = {
        "language": "Solidity",
        "sources": {
            source_name: {"content": source},
            INTERFACE.relative_to(REPO_ROOT).as_posix(): {"content": INTERFACE.read_text()},
        },
        "settings": {**settings, "outputSelection": {"*": {"*": selection}}},
    }
    try:
        output = solcx.compile_standard(
            standard_input,
            base_path=REPO_ROOT,
            allow_paths=[REPO_ROOT, NODE_MODULES],
            solc_binary=SOLC_WRAPPER,
        )
    except SolcError as error:
        raise CompileError(f"the verifier did not compile: {error.message.strip()}") from None
    compiled: dict[str, Any] = output["contracts"][source_name][name]
    return compiled


def compile_verifier(verification_key: Path) -> dict[str, Any]:
    return compile_verifier_source(verifier_source(verification_key))
