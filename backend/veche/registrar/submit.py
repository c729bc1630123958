"""Sending the pending batch on chain, all or nothing per transaction, and never losing track.

Before anything is sent, every transaction is simulated and the registrar's quotas and the
persons' tags are checked, so a batch the chain would refuse is refused whole, with the entry
and the reason, and the file is left as it was. Then each transaction (up to `MEMBERS_PER_BATCH`
members of one district) is sent in turn and its entries are removed from the file once mined:
if a later one is refused after all (another registrar registered the same person meanwhile),
the file holds exactly the entries that are not on chain.

Each transaction is written into the file (`inFlight`: its entries and signed bytes) before it
is broadcast. A submission that was killed, or lost its node, before the transaction was
confirmed is resumed by the next one: it broadcasts the same bytes again and follows them
(fees raised if they wait, within the cap), so no entry is ever sent twice; only a transaction
whose nonce another one took (never mined) leaves its entries pending, to be sent afresh.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3.types import Nonce, TxParams, Wei

from veche.chain.client import _revert_data_from_trace, decode_revert, simulate_call
from veche.chain.election import MEMBERS_PER_BATCH, ElectionContract
from veche.chain.transactions import NonceTaken, Signed, current_policy, follow
from veche.errors import ContractRevert
from veche.registrar.batch import InFlight, PendingBatch, PendingEntry, load_batch, save_batch
from veche.registrar.errors import BatchFileError, SubmitRefused

SIMULATION_GAS = 29_000_000


@dataclass(frozen=True)
class SubmitReport:
    """What a submission put on chain."""

    registered: int
    transactions: int
    gas_used: int


def submit_batch(
    election: ElectionContract,
    registrar: LocalAccount,
    batch_path: Path,
    *,
    chunk_size: int = MEMBERS_PER_BATCH,
) -> SubmitReport:
    """Registers every entry of the batch file; raises `SubmitRefused` naming the entry and the
    reason if the chain would refuse any (then nothing was sent)."""
    batch = load_batch(batch_path)
    chain_id = int(election.w3.eth.chain_id)
    if (batch.chain_id, batch.election) != (chain_id, election.address):
        raise BatchFileError(
            f"batch {batch_path} is for election {batch.election} on chain {batch.chain_id}"
        )
    report = SubmitReport(0, 0, 0)
    if batch.in_flight is not None:
        report = _resume(election, registrar, batch_path, batch)
    chunks = _chunks(batch.entries, chunk_size)
    _precheck(election, registrar.address, batch.entries)
    for chunk in chunks:
        _simulate(election, registrar, chunk, batch.entries)

    for chunk in chunks:

        def record(signed: Signed, chunk: list[PendingEntry] = chunk) -> None:
            batch.in_flight = InFlight(tuple(chunk), signed.to_json())
            save_batch(batch_path, batch)

        try:
            receipt = election.add_members(
                registrar,
                chunk[0].district,
                [entry.commitment for entry in chunk],
                [entry.tag for entry in chunk],
                record=record,
            )
        except ContractRevert as refusal:
            batch.in_flight = None
            save_batch(batch_path, batch)
            raise SubmitRefused(
                f"{_explain(refusal, chunk, batch.entries)}; {report.registered} entries were "
                f"registered before and removed from {batch_path}, which holds the rest"
            ) from None
        batch.entries = [entry for entry in batch.entries if entry not in chunk]
        batch.in_flight = None
        save_batch(batch_path, batch)
        report = SubmitReport(
            report.registered + len(chunk),
            report.transactions + 1,
            report.gas_used + int(receipt["gasUsed"]),
        )
    return report


def _resume(
    election: ElectionContract, registrar: LocalAccount, batch_path: Path, batch: PendingBatch
) -> SubmitReport:
    """Follows the transaction an earlier submission recorded and did not see confirmed."""
    assert batch.in_flight is not None
    in_flight = batch.in_flight
    signed = Signed.from_json(in_flight.signed)
    if signed.sender != registrar.address:
        raise BatchFileError(
            f"batch {batch_path} has a transaction of {signed.sender} on its way, not of "
            f"{registrar.address}: submit it with that registrar's key"
        )
    policy = current_policy()
    policy.say(
        f"following {signed.hashes[-1].to_0x_hex()} ({len(in_flight.entries)} entries) "
        "from an earlier submission"
    )

    def record(again: Signed) -> None:
        batch.in_flight = InFlight(in_flight.entries, again.to_json())
        save_batch(batch_path, batch)

    try:
        receipt = follow(election.w3, registrar, signed, policy=policy, record=record, resumed=True)
    except NonceTaken:
        receipt = None
    chunk = list(in_flight.entries)
    batch.in_flight = None
    if receipt is None:  # never mined: the entries are still pending, sent afresh below
        save_batch(batch_path, batch)
        return SubmitReport(0, 0, 0)
    if receipt["status"] != 1:
        save_batch(batch_path, batch)
        tx_hash = HexBytes(receipt["transactionHash"])
        refusal = decode_revert(
            election.artifact.abi, _revert_data_from_trace(election.w3, tx_hash), tx_hash=tx_hash
        )
        raise SubmitRefused(
            f"{_explain(refusal, chunk, batch.entries)} (transaction {tx_hash.to_0x_hex()}); "
            f"{batch_path} still holds its entries"
        )
    batch.entries = [entry for entry in batch.entries if entry not in chunk]
    save_batch(batch_path, batch)
    return SubmitReport(len(chunk), 1, int(receipt["gasUsed"]))


def _chunks(entries: Sequence[PendingEntry], size: int) -> list[list[PendingEntry]]:
    """Entries grouped by district (in order of first appearance), `size` per transaction."""
    by_district: dict[int, list[PendingEntry]] = {}
    for entry in entries:
        by_district.setdefault(entry.district, []).append(entry)
    return [
        members[start : start + size]
        for members in by_district.values()
        for start in range(0, len(members), size)
    ]


def _precheck(election: ElectionContract, registrar: str, entries: list[PendingEntry]) -> None:
    """What one simulation per transaction cannot see: the quota used by all of them together,
    and repeats across transactions."""
    seen_tags: set[bytes] = set()
    seen_commitments: set[int] = set()
    for number, entry in enumerate(entries, start=1):
        if entry.tag in seen_tags or entry.commitment in seen_commitments:
            raise SubmitRefused(f"entry {number} repeats an earlier entry; nothing was sent")
        seen_tags.add(entry.tag)
        seen_commitments.add(entry.commitment)
    for district in sorted({entry.district for entry in entries}):
        wanted = sum(1 for entry in entries if entry.district == district)
        if not 0 <= district < election.district_count():
            raise SubmitRefused(f"district {district} does not exist; nothing was sent")
        quota = election.registrar_quota(registrar, district)
        if quota.quota and wanted > quota.remaining:
            raise SubmitRefused(
                f"QuotaExceeded in district {district}: {wanted} pending, {quota.used} of "
                f"{quota.quota} used; nothing was sent"
            )


def _simulate(
    election: ElectionContract,
    registrar: LocalAccount,
    chunk: list[PendingEntry],
    entries: list[PendingEntry],
) -> None:
    call = election.contract.functions.addMembers(
        chunk[0].district, [entry.commitment for entry in chunk], [entry.tag for entry in chunk]
    )
    params: TxParams = {
        "from": registrar.address,
        "gas": SIMULATION_GAS,
        "nonce": Nonce(0),
        "gasPrice": Wei(0),
    }
    transaction = call.build_transaction(params)
    try:
        simulate_call(election.w3, transaction, election.artifact.abi)
    except ContractRevert as refusal:
        raise SubmitRefused(f"{_explain(refusal, chunk, entries)}; nothing was sent") from None


def _explain(
    refusal: ContractRevert, chunk: list[PendingEntry], entries: list[PendingEntry]
) -> str:
    """The refusal, with the batch entry it is about when the error names one."""
    values = refusal.values
    culprit: PendingEntry | None = None
    if "tag" in values:
        culprit = next((e for e in chunk if e.tag == bytes(values["tag"])), None)
    elif "commitment" in values:
        culprit = next((e for e in chunk if e.commitment == values["commitment"]), None)
    reason = _REASONS.get(refusal.name, "")
    suffix = f" ({reason})" if reason else ""
    if culprit is None:
        return f"the batch for district {chunk[0].district} was refused: {refusal}{suffix}"
    number = entries.index(culprit) + 1
    return (
        f"entry {number} (district {culprit.district}, commitment {culprit.commitment}) "
        f"was refused: {refusal}{suffix}"
    )


_REASONS = {
    "DuplicatePerson": "this person is already registered",
    "QuotaExceeded": "the registrar's quota in this district is exhausted",
    "SuspendedRegistrar": "the organizer suspended this registrar",
    "NotRegistrar": "this account is not a registrar of the election",
    "NotRegistrarForDistrict": "this registrar has no quota in this district",
    "RegistrationClosed": "registration is not open",
}
