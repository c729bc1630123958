"""EIP-170: a contract's deployed code is at most 24,576 bytes on a real chain (anvil is lenient
by default, so the limit is checked here on the committed artifacts)."""

import pytest

from veche.chain.artifacts import load_artifact

EIP_170_LIMIT = 24_576


@pytest.mark.parametrize(
    "name", ["Election", "Groth16Verifier", "EncryptedBallotVerifier", "PoseidonT3"]
)
def test_the_deployed_code_fits_eip_170(name: str) -> None:
    code = load_artifact(name).deployed_bytecode
    size = (len(code) - 2) // 2
    assert size <= EIP_170_LIMIT, f"{name} is {size:,} bytes, over EIP-170's {EIP_170_LIMIT:,}"
