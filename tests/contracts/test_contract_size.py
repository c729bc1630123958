"""Every deployable contract fits EIP-170's limit on deployed code (24,576 bytes): anvil is
lenient about it, a real chain refuses the deployment. Whoever adds code to `Election` sees the
margin here; past it, code moves to a linked library (as the register's Poseidon is)."""

import pytest

from veche.chain.artifacts import load_artifact

EIP_170_LIMIT = 24_576
"""Bytes of deployed code a contract may have (EIP-170)."""


@pytest.mark.parametrize("name", ["Election", "PoseidonT3", "Groth16Verifier"])
def test_deployed_code_fits_eip_170(name: str) -> None:
    size = (len(load_artifact(name).deployed_bytecode) - 2) // 2
    print(f"{name}: {size:,} bytes of deployed code, {EIP_170_LIMIT - size:,} to spare")
    assert size <= EIP_170_LIMIT, f"{name} is {size} bytes, over EIP-170's {EIP_170_LIMIT}"
