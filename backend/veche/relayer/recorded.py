"""The relayer's calls in an election of the recorded ballot mode: a group of ballots becomes one
`recordBallots(bytes)` of compact records (docs/PROTOCOL.md, "Ballot modes").

The relayer has verified every proof before it accepts a ballot, and the account it sends from
must be authorised by the organizer: a record whose proof is invalid would get that account
suspended by the first challenge. A lone ballot is a batch of one record (about 40,000 gas,
against about 300,000 for a verified `castBallot`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi import encode as abi_encode
from eth_utils import function_signature_to_4byte_selector
from web3.contract import Contract

from veche.chain.election import record_ballots_gas
from veche.protocol.records import BallotMode, BallotRecord, EncryptedBallotRecord, encode_records
from veche.protocol.spec import MAX_RECORDS_PER_BATCH, RECORD_BYTES
from veche.relayer.store import Submission

RECORD_BALLOTS = function_signature_to_4byte_selector("recordBallots(bytes)")


def record_of(ballot: Submission) -> BallotRecord | EncryptedBallotRecord:
    """The record the chain keeps of an accepted ballot (its root is its district's): an
    encrypted ballot's carries its ciphertext, never a choice."""
    if ballot.ciphertext:
        return EncryptedBallotRecord(
            ballot.nullifier,
            tuple(ballot.proof),
            ballot.district,
            ballot.revision,
            ballot.ciphertext,
        )
    return BallotRecord(
        ballot.nullifier, tuple(ballot.proof), ballot.district, ballot.plain_choice, ballot.revision
    )


@dataclass(frozen=True)
class RecordedBallots:
    """`recordBallots(records)`: up to `max_ballots` records a transaction, of `record_bytes`
    each (an encrypted election's are larger)."""

    max_ballots: int = MAX_RECORDS_PER_BATCH
    record_bytes: int = RECORD_BYTES

    def calldata(self, ballots: Sequence[Submission]) -> bytes:
        records = encode_records(record_of(ballot) for ballot in ballots)
        return RECORD_BALLOTS + abi_encode(["bytes"], [records])

    def gas(self, count: int) -> int:
        return record_ballots_gas(count, self.record_bytes)


def recorded_calls(contract: Contract, batch_size: int) -> RecordedBallots | None:
    """The recorded mode's calls if `contract` takes ballots in that mode, else None."""
    names = {entry.get("name") for entry in contract.abi if entry.get("type") == "function"}
    if "ballotMode" not in names:
        return None
    if int(contract.functions.ballotMode().call()) != BallotMode.RECORDED.contract:
        return None
    return RecordedBallots(max(1, min(batch_size, MAX_RECORDS_PER_BATCH)))
