"""The Groth16 verifier contract of a verification key, generated and compiled on this machine.

`zk/verifier.mjs` renders snarkjs' own template from `verification_key.json` (what `snarkjs zkey
export solidityverifier` renders from the zkey), and the pinned compiler (`contracts/solc.json`)
compiles it. The deploy uses it for a ceremony's key; the recount rebuilds it to compare with
the code on chain. The development key's verifier is also committed as
`contracts/verifiers/Groth16Verifier.sol`.
"""

import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import solcx
from solcx.exceptions import SolcError

from veche.chain.compile import compiler_config
from veche.chain.paths import NODE_MODULES, REPO_ROOT, SOLC_WRAPPER
from veche.errors import CompileError

VERIFIER_SCRIPT = REPO_ROOT / "zk" / "verifier.mjs"
CONTRACT = "Groth16Verifier"


def verifier_source(verification_key: Path) -> str:
    """The Solidity verifier snarkjs generates for this key."""
    from veche.crypto.prover import default_node

    done = subprocess.run(
        [default_node(), str(VERIFIER_SCRIPT), str(verification_key)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise CompileError(f"cannot generate the verifier from {verification_key}: {reason}")
    return done.stdout


@cache
def compile_verifier_source(source: str) -> dict[str, Any]:
    """solc's output for the verifier (abi, creation and runtime bytecode), pinned settings."""
    _, settings = compiler_config()
    selection = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]
    standard_input = {
        "language": "Solidity",
        "sources": {f"{CONTRACT}.sol": {"content": source}},
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
    compiled: dict[str, Any] = output["contracts"][f"{CONTRACT}.sol"][CONTRACT]
    return compiled


def compile_verifier(verification_key: Path) -> dict[str, Any]:
    return compile_verifier_source(verifier_source(verification_key))
