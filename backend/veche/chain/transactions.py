"""Sending one transaction on any EVM chain and following it until it is final enough.

Every signed transaction of the organizer, the registrars and the deployer goes through here
(the relayer, which pipelines thousands of ballots, has its own sender in
`veche.relayer.worker`, and reuses `quote_fees` for its fees):

- EIP-1559 fees: `maxPriorityFeePerGas` is the node's suggestion (or the policy's), and
  `maxFeePerGas` twice the latest base fee plus that tip, so the transaction stays valid through
  a few blocks of rising fees. Under a cap (`TxPolicy.max_fee_per_gas`) nothing is sent while
  the base fee plus the tip is above it (`FeeAboveCap` says by how much), and no transaction
  is ever signed with a higher maximum.
- Nonces: one lock per account in this process, and the account's next nonce counting pending
  transactions. A nonce another transaction took (the key is used elsewhere) is an error that
  says so, never a silent second attempt.
- Dropped and replaced: a transaction with no receipt after `replace_after` seconds is broadcast
  again with the same bytes if the node has forgotten it, else replaced (same nonce, fees raised
  by `REPLACEMENT_BUMP_PERCENT`, within the cap). A receipt of any of the versions counts.
- Confirmations: the receipt is returned once its block is `confirmations` deep and still on the
  canonical chain; a transaction that a reorganisation took out is followed again (and broadcast
  again if the node forgot it).
- Journals: a caller that must survive being killed passes `record`, which receives every
  signed version *before* it is broadcast, and later calls `follow` with what it recorded:
  the same bytes go out again, so a step is never done twice.

`use_policy` sets the policy for every send in a block of code (the command-line tools set it
once from their `--max-fee-gwei`, `--confirmations`... arguments).
"""

import contextvars
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, cast

import requests
import rlp
from eth_account.signers.local import LocalAccount
from eth_account.typed_transactions import TypedTransaction
from eth_typing import ChecksumAddress
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import TransactionNotFound, Web3RPCError
from web3.types import TxParams, TxReceipt

from veche.errors import ChainError

GWEI = 10**9

REPLACEMENT_BUMP_PERCENT = 15
"""How much a replacement raises both fees; nodes refuse a replacement below +10% (geth)."""

BASE_FEE_HEADROOM = 2
"""`maxFeePerGas` is this many times the latest base fee, plus the tip."""

_TRANSIENT = (requests.RequestException, OSError)


class FeeAboveCap(ChainError):
    """The network's fee is above the cap the operator set: nothing was sent."""


class NonceTaken(ChainError):
    """Another transaction of the same account took the nonce a transaction was signed with."""


class NotConfirmed(ChainError):
    """A transaction was sent but not confirmed in time; running the command again resumes."""


@dataclass(frozen=True)
class TxPolicy:
    """How transactions are priced, followed and replaced."""

    max_fee_per_gas: int | None = None
    """The most wei a gas this operator accepts to pay (None: no cap, for local chains)."""
    priority_fee_per_gas: int | None = None
    """The tip, in wei a gas (None: the node's `eth_maxPriorityFeePerGas`)."""
    confirmations: int = 1
    """Blocks, counting the transaction's own, before a receipt is trusted."""
    replace_after: float = 60.0
    """Seconds without a receipt before the transaction is sent again or replaced."""
    timeout: float = 1800.0
    """Seconds to wait in all before giving up (`NotConfirmed`; a rerun resumes)."""
    poll: float = 0.02
    """Seconds between two looks at the chain."""
    nonce_taken_after: float = 30.0
    """Seconds the account's nonce must stay used, with no receipt for any version, before the
    transaction counts as replaced by another (a node behind a load balancer may show the
    nonce used before it serves the receipt)."""
    notify: Callable[[str], None] | None = field(default=None, compare=False)
    """Where progress lines go (a terminal); None: silent."""

    def say(self, line: str) -> None:
        if self.notify is not None:
            self.notify(line)


DEFAULT_POLICY = TxPolicy()
_policy: contextvars.ContextVar[TxPolicy] = contextvars.ContextVar(
    "veche_tx_policy", default=DEFAULT_POLICY
)


def current_policy() -> TxPolicy:
    """The policy set by the innermost `use_policy` (the default one outside any)."""
    return _policy.get()


@contextmanager
def use_policy(policy: TxPolicy) -> Iterator[TxPolicy]:
    """Every transaction sent inside the block follows `policy`."""
    token = _policy.set(policy)
    try:
        yield policy
    finally:
        _policy.reset(token)


@dataclass(frozen=True)
class Fees:
    """EIP-1559 fees, in wei a gas."""

    max_fee_per_gas: int
    max_priority_fee_per_gas: int
    base_fee_per_gas: int
    """The latest block's base fee when quoted: what a gas costs now, before the tip."""

    @property
    def expected_per_gas(self) -> int:
        """What a gas is expected to cost if included at the current base fee."""
        return min(self.max_fee_per_gas, self.base_fee_per_gas + self.max_priority_fee_per_gas)

    def as_params(self) -> dict[str, int]:
        return {
            "maxFeePerGas": self.max_fee_per_gas,
            "maxPriorityFeePerGas": self.max_priority_fee_per_gas,
        }


def gwei(wei: int) -> str:
    """`wei` in gwei, for people (`12.5 gwei`)."""
    return f"{wei / GWEI:.9g} gwei"


def quote_fees(w3: Web3, policy: TxPolicy | None = None) -> Fees:
    """The fees to sign with now; raises `FeeAboveCap` if the network asks more than the cap."""
    policy = policy or current_policy()
    block = w3.eth.get_block("latest")
    base = block.get("baseFeePerGas")
    if base is None:
        raise ChainError(
            f"block {block.get('number')} has no base fee: this chain does not price "
            "transactions with EIP-1559, which Veche's sender needs"
        )
    tip = (
        int(w3.eth.max_priority_fee)
        if policy.priority_fee_per_gas is None
        else policy.priority_fee_per_gas
    )
    cap = policy.max_fee_per_gas
    if cap is not None and tip > cap:
        tip = cap
    needed = int(base) + tip
    if cap is not None and needed > cap:
        raise FeeAboveCap(
            f"the network asks {gwei(needed)} a gas now (base fee {gwei(int(base))} + tip "
            f"{gwei(tip)}), above your cap of {gwei(cap)}: nothing was sent; wait for lower "
            "fees or raise --max-fee-gwei"
        )
    top = BASE_FEE_HEADROOM * int(base) + tip
    return Fees(top if cap is None else min(top, cap), tip, int(base))


def replacement_fees(w3: Web3, previous: Fees, policy: TxPolicy) -> Fees | None:
    """The fees of a replacement for a transaction signed with `previous`: both raised by at
    least `REPLACEMENT_BUMP_PERCENT`, more if the network now asks more; None if that would
    exceed the cap (the transaction is left to wait)."""
    bump = 100 + REPLACEMENT_BUMP_PERCENT
    tip = -(-previous.max_priority_fee_per_gas * bump // 100)
    top = -(-previous.max_fee_per_gas * bump // 100)
    try:
        now = quote_fees(w3, replace(policy, max_fee_per_gas=None))
        tip, top = max(tip, now.max_priority_fee_per_gas), max(top, now.max_fee_per_gas)
        base = now.base_fee_per_gas
    except ChainError:
        base = previous.base_fee_per_gas
    cap = policy.max_fee_per_gas
    if cap is not None and (top > cap or tip > cap):
        if previous.max_fee_per_gas * bump // 100 > cap:
            return None
        top = cap
        tip = min(tip, cap)
    return Fees(top, tip, base)


@dataclass
class Signed:
    """Every version signed for one nonce of one account, oldest first."""

    sender: ChecksumAddress
    nonce: int
    versions: list[tuple[HexBytes, HexBytes, Fees]]
    """(hash, raw bytes, fees) of each version."""

    @property
    def hashes(self) -> list[HexBytes]:
        return [tx_hash for tx_hash, _, _ in self.versions]

    @property
    def latest_raw(self) -> HexBytes:
        return self.versions[-1][1]

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "nonce": self.nonce,
            "versions": [
                {
                    "hash": tx_hash.to_0x_hex(),
                    "raw": raw.to_0x_hex(),
                    "maxFeePerGas": fees.max_fee_per_gas,
                    "maxPriorityFeePerGas": fees.max_priority_fee_per_gas,
                    "baseFeePerGas": fees.base_fee_per_gas,
                }
                for tx_hash, raw, fees in self.versions
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> "Signed":
        return cls(
            sender=to_checksum_address(data["sender"]),
            nonce=int(data["nonce"]),
            versions=[
                (
                    HexBytes(version["hash"]),
                    HexBytes(version["raw"]),
                    Fees(
                        int(version["maxFeePerGas"]),
                        int(version["maxPriorityFeePerGas"]),
                        int(version["baseFeePerGas"]),
                    ),
                )
                for version in data["versions"]
            ],
        )


Record = Callable[[Signed], None]
"""Called with every signed version before it is broadcast (a journal's write-ahead)."""

_nonce_locks: dict[ChecksumAddress, threading.Lock] = {}
_nonce_locks_guard = threading.Lock()


def nonce_lock(address: ChecksumAddress) -> threading.Lock:
    """One lock per sender, so that threads sharing an account never reuse a nonce."""
    with _nonce_locks_guard:
        return _nonce_locks.setdefault(address, threading.Lock())


def create_address(sender: str, nonce: int) -> ChecksumAddress:
    """The address of the contract `sender` creates with its transaction of `nonce`."""
    encoded = rlp.encode([bytes.fromhex(sender[2:]), nonce])
    return to_checksum_address(keccak(encoded)[12:])


def sign_and_send(
    w3: Web3,
    account: LocalAccount,
    transaction: TxParams,
    *,
    policy: TxPolicy | None = None,
    record: Record | None = None,
) -> Signed:
    """Signs `transaction` (which has `gas`, and `to`/`data`/`value` as needed) with the
    account's next nonce and the policy's fees, records it, and broadcasts it."""
    policy = policy or current_policy()
    sender = account.address
    with nonce_lock(sender):
        fees = quote_fees(w3, policy)
        nonce = int(w3.eth.get_transaction_count(sender, "pending"))
        signed = _sign(w3, account, transaction, nonce, fees)
        if record is not None:
            record(signed)
        _broadcast(w3, signed.latest_raw, policy)
    return signed


def follow(
    w3: Web3,
    account: LocalAccount,
    signed: Signed,
    *,
    policy: TxPolicy | None = None,
    record: Record | None = None,
    resumed: bool = False,
) -> TxReceipt:
    """Waits until one version of `signed` is mined, `confirmations` deep and canonical, and
    returns its receipt (whatever its status: the caller decodes a revert).

    Versions the node forgot (dropped, or taken out by a reorganisation) are broadcast again;
    a version still waiting after `replace_after` seconds (or forgotten and now below the base
    fee) is replaced by the same transaction with higher fees, if the cap allows.
    `resumed` broadcasts the latest version at once (a journal read after a restart). Raises
    `NonceTaken` if another transaction of the account took the nonce, `NotConfirmed` after
    `timeout` seconds.
    """
    policy = policy or current_policy()
    started = last_action = time.monotonic()
    if resumed:
        _broadcast(w3, signed.latest_raw, policy)
    waiting_said = ""
    taken_since: float | None = None
    while True:
        try:
            receipt = _receipt(w3, signed)
            if receipt is not None:
                depth = int(w3.eth.block_number) - int(receipt["blockNumber"]) + 1
                if depth >= policy.confirmations and _canonical(w3, receipt, policy):
                    return receipt
                line = (
                    f"{receipt['transactionHash'].to_0x_hex()} in block "
                    f"{receipt['blockNumber']}: {max(depth, 0)} of {policy.confirmations} "
                    "confirmations"
                )
            elif int(w3.eth.get_transaction_count(signed.sender, "latest")) > signed.nonce:
                taken_since = taken_since or time.monotonic()
                line = f"nonce {signed.nonce} is used; looking for the receipt"
                if time.monotonic() - taken_since >= policy.nonce_taken_after:
                    raise NonceTaken(
                        f"nonce {signed.nonce} of {signed.sender} was used by another "
                        f"transaction (is this key used elsewhere?); none of "
                        f"{', '.join(h.to_0x_hex() for h in signed.hashes)} was mined"
                    )
            else:
                taken_since = None
                line = f"{signed.hashes[-1].to_0x_hex()} (nonce {signed.nonce}) waiting"
                if time.monotonic() - last_action >= policy.replace_after:
                    _unstick(w3, account, signed, policy, record)
                    last_action = time.monotonic()
            if line != waiting_said:
                policy.say(line)
                waiting_said = line
        except _TRANSIENT as error:
            policy.say(f"the node did not answer ({type(error).__name__}); trying again")
            time.sleep(min(5.0, max(policy.poll, 0.5)))
        if time.monotonic() - started > policy.timeout:
            raise NotConfirmed(
                f"nonce {signed.nonce} of {signed.sender} ("
                f"{', '.join(h.to_0x_hex() for h in signed.hashes)}) not confirmed after "
                f"{policy.timeout:.0f} s; run the command again to keep following it"
            )
        time.sleep(policy.poll)


def send_transaction(
    w3: Web3,
    account: LocalAccount,
    transaction: TxParams,
    *,
    policy: TxPolicy | None = None,
    record: Record | None = None,
) -> TxReceipt:
    """`sign_and_send`, then `follow`: the receipt of a confirmed transaction (any status)."""
    policy = policy or current_policy()
    signed = sign_and_send(w3, account, transaction, policy=policy, record=record)
    return follow(w3, account, signed, policy=policy, record=record)


def _sign(w3: Web3, account: LocalAccount, transaction: TxParams, nonce: int, fees: Fees) -> Signed:
    version = _signed_version(w3, account, transaction, nonce, fees)
    return Signed(account.address, nonce, [version])


def _signed_version(
    w3: Web3, account: LocalAccount, transaction: TxParams, nonce: int, fees: Fees
) -> tuple[HexBytes, HexBytes, Fees]:
    params = {
        key: value
        for key, value in dict(transaction).items()
        if key not in ("from", "nonce", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas")
    }
    params.update(
        chainId=int(w3.eth.chain_id), nonce=nonce, type=2, value=params.get("value", 0),
        **fees.as_params(),
    )  # fmt: skip
    signed = account.sign_transaction(cast(dict[str, Any], params))
    return HexBytes(signed.hash), HexBytes(signed.raw_transaction), fees


class _FeeTooLow(ChainError):
    """The node refused a transaction whose maximum fee is below the current base fee."""


def _unsigned(raw: HexBytes) -> TxParams:
    """What a signed transaction sends (recipient, data, value, gas), to sign it again."""
    fields = TypedTransaction.from_bytes(raw).as_dict()
    unsigned = {key: fields[key] for key in ("data", "value", "gas")}
    if fields.get("to"):
        unsigned["to"] = to_checksum_address(fields["to"])
    return cast(TxParams, unsigned)


def _broadcast(w3: Web3, raw: HexBytes, policy: TxPolicy) -> None:
    """Sends `raw`; a node that has it already, or has mined its nonce, is not an error (the
    follower finds out which). Raises `_FeeTooLow` if its fees are below the base fee now."""
    try:
        w3.eth.send_raw_transaction(raw)
    except Web3RPCError as error:
        message = str(error).lower()
        if any(
            known in message
            for known in ("already known", "nonce too low", "underpriced", "already imported")
        ):
            return
        if "base fee" in message or "fee too low" in message:
            raise _FeeTooLow(f"the node refused the transaction: {_one_line(error)}") from None
        raise ChainError(f"the node refused the transaction: {_one_line(error)}") from None
    except _TRANSIENT as error:
        policy.say(f"broadcast failed ({type(error).__name__}); it will be sent again")


def _receipt(w3: Web3, signed: Signed) -> TxReceipt | None:
    for tx_hash in reversed(signed.hashes):
        try:
            return w3.eth.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            continue
    return None


def _canonical(w3: Web3, receipt: TxReceipt, policy: TxPolicy) -> bool:
    """Whether the receipt's block is still on the chain (checked when confirmations matter)."""
    if policy.confirmations <= 1:
        return True
    block = w3.eth.get_block(receipt["blockNumber"])
    return HexBytes(block["hash"]) == HexBytes(receipt["blockHash"])


def _known(w3: Web3, tx_hash: HexBytes) -> bool:
    try:
        w3.eth.get_transaction(tx_hash)
        return True
    except TransactionNotFound:
        return False


def _unstick(
    w3: Web3,
    account: LocalAccount,
    signed: Signed,
    policy: TxPolicy,
    record: Record | None,
) -> None:
    """Broadcasts again what the node forgot; replaces with higher fees what it keeps waiting,
    or what it forgot and now refuses as below the base fee."""
    if not any(_known(w3, tx_hash) for tx_hash in signed.hashes):
        policy.say(f"{signed.hashes[-1].to_0x_hex()} was dropped: sending the same bytes again")
        try:
            _broadcast(w3, signed.latest_raw, policy)
            return
        except _FeeTooLow:
            policy.say("its fees are now below the base fee")
    fees = replacement_fees(w3, signed.versions[-1][2], policy)
    if fees is None:
        policy.say(
            f"{signed.hashes[-1].to_0x_hex()} waits for fees to fall: a replacement would "
            f"exceed the cap of {gwei(policy.max_fee_per_gas or 0)}"
        )
        return
    version = _signed_version(w3, account, _unsigned(signed.latest_raw), signed.nonce, fees)
    signed.versions.append(version)
    if record is not None:
        record(signed)
    policy.say(
        f"replacing nonce {signed.nonce} with {version[0].to_0x_hex()} "
        f"(max fee {gwei(fees.max_fee_per_gas)}, tip {gwei(fees.max_priority_fee_per_gas)})"
    )
    try:
        _broadcast(w3, version[1], policy)
    except _FeeTooLow:  # the base fee is above the cap: sent again once it falls below
        policy.say(
            f"{version[0].to_0x_hex()} waits for fees to fall below the cap of "
            f"{gwei(policy.max_fee_per_gas or 0)}: the network asks more"
        )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def total_fee(receipts: Sequence[TxReceipt]) -> int:
    """Wei paid by `receipts` (gas used times effective gas price)."""
    return sum(int(r["gasUsed"]) * int(r.get("effectiveGasPrice", 0)) for r in receipts)
