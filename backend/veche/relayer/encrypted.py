"""The relayer's calls in an encrypted election: ballots carry a ciphertext, never a choice.

Verified mode: `castEncryptedBallots(EncryptedBallotInput[])` (a lone ballot is a batch of one:
the contract checks encrypted proofs only through its verifier's `verifyBatch`). Recorded mode:
`recordBallots(bytes)` of 1381-byte encrypted records. Every field of `EncryptedBallotInput`
is static, so the ABI encoding is written by hand, as for plain batches.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from eth_utils import function_signature_to_4byte_selector
from web3.contract import Contract

from veche.chain.election import cast_encrypted_ballots_gas
from veche.protocol.records import BallotMode, BallotSecrecy
from veche.protocol.spec import ENCRYPTED_RECORD_BYTES, MAX_RECORDS_PER_BATCH, TRANSACTION_GAS_CAP
from veche.relayer.recorded import RecordedBallots
from veche.relayer.store import Submission

_CAST_ENCRYPTED_BALLOTS = function_signature_to_4byte_selector(
    "castEncryptedBallots((uint32,uint32,uint256,uint256,uint256[8],uint256[34])[])"
)


def _words(ballot: Submission) -> bytes:
    """One `EncryptedBallotInput`: district, revision, merkleRoot, nullifier, proof[8], then
    the 1088 ciphertext bytes (34 words, as stored)."""
    head = (ballot.district, ballot.revision, ballot.merkle_root, ballot.nullifier, *ballot.proof)
    return b"".join(value.to_bytes(32, "big") for value in head) + ballot.ciphertext


def cast_encrypted_ballots_calldata(ballots: Sequence[Submission]) -> bytes:
    """`castEncryptedBallots(EncryptedBallotInput[])`: offset, length, then each tuple."""
    head = (32).to_bytes(32, "big") + len(ballots).to_bytes(32, "big")
    return _CAST_ENCRYPTED_BALLOTS + head + b"".join(map(_words, ballots))


@dataclass(frozen=True)
class EncryptedBallots:
    """`castEncryptedBallots`, one proof check (`verifyBatch`) for the whole batch."""

    max_ballots: int

    def calldata(self, ballots: Sequence[Submission]) -> bytes:
        return cast_encrypted_ballots_calldata(ballots)

    def gas(self, count: int) -> int:
        return cast_encrypted_ballots_gas(count)


def encrypted_calls(
    contract: Contract, batch_size: int
) -> EncryptedBallots | RecordedBallots | None:
    """The encrypted ballots' calls if `contract` takes encrypted ballots, else None."""
    names = {entry.get("name") for entry in contract.abi if entry.get("type") == "function"}
    if "ballotSecrecy" not in names:
        return None
    secrecy = BallotSecrecy.of_contract(int(contract.functions.ballotSecrecy().call()))
    if secrecy is not BallotSecrecy.ENCRYPTED:
        return None
    if int(contract.functions.ballotMode().call()) == BallotMode.RECORDED.contract:
        return RecordedBallots(
            max(1, min(batch_size, MAX_RECORDS_PER_BATCH)), ENCRYPTED_RECORD_BYTES
        )
    fitting = 1
    while fitting < batch_size and cast_encrypted_ballots_gas(fitting + 1) < TRANSACTION_GAS_CAP:
        fitting += 1
    most = int(contract.functions.MAX_BALLOTS_PER_BATCH().call())
    return EncryptedBallots(max(1, min(fitting, most)))
