"""Connecting to a chain, development accounts, and sending transactions with decoded reverts.

Every transaction is signed locally (no node-held keys) with explicit gas, because a node's
estimate for a Groth16 verifier call can be far too low, and a snarkjs verifier that runs out
of gas returns false instead of reverting. A refused call surfaces as `ContractRevert` with the
custom error's name and arguments, never as a raw web3 traceback.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any, cast

import requests
from eth_abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ABIError
from eth_utils import function_abi_to_4byte_selector, to_checksum_address, to_hex
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractConstructor, ContractFunction
from web3.exceptions import ContractLogicError, TimeExhausted, Web3Exception, Web3RPCError
from web3.types import BlockIdentifier, Nonce, TxParams, TxReceipt, Wei

from veche.chain.transactions import Record, current_policy, send_transaction
from veche.errors import ChainError, ContractRevert

RECEIPT_POLL_SECONDS = 0.02
"""How often to poll for a receipt: web3's default 0.1 s would dominate a local transaction."""

RECEIPT_TIMEOUT_SECONDS = 120.0

GAS_ESTIMATE_MARGIN = 1.25
"""Head-room over `eth_estimateGas` when a caller lets the node estimate."""

DEV_MNEMONIC = "test test test test test test test test test test test junk"
"""anvil's and Hardhat's public development mnemonic. DEV ONLY: its keys are known to everyone."""

_ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
_PANIC_SELECTOR = bytes.fromhex("4e487b71")

Call = ContractFunction | ContractConstructor


def connect(rpc_url: str, *, timeout: float = 30.0) -> Web3:
    """A `Web3` for `rpc_url`, checked to answer; raises `ChainError` if no chain answers."""
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}))
    try:
        w3.eth.chain_id  # noqa: B018 (the request is the check)
    except (requests.RequestException, Web3Exception, OSError) as error:
        raise ChainError(f"no chain answers at {rpc_url}: {_one_line(error)}") from None
    return w3


def dev_accounts(count: int = 10) -> list[LocalAccount]:
    """The first `count` accounts of anvil's development mnemonic.

    DEV ONLY: these private keys are public knowledge; anything sent to them on a real chain is
    taken at once.
    """
    return [_dev_account(index) for index in range(count)]


@cache
def _dev_account(index: int) -> LocalAccount:
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


def send(
    w3: Web3,
    account: LocalAccount,
    call: Call,
    *,
    gas: int | None = None,
    simulate: bool = True,
    abi: Sequence[dict[str, Any]] | None = None,
    record: Record | None = None,
) -> TxReceipt:
    """Signs `call` with `account`, sends it and returns its successful receipt.

    `gas` should be given for anything that verifies a proof; if it is None the node's estimate
    plus 25% is used. With `simulate` the call is first run with `eth_call`, so that a refused
    call raises `ContractRevert` without spending gas. A transaction that reverts on chain also
    raises `ContractRevert` (decoded from the node's trace when it offers one). `abi` is the
    ABI whose custom errors are decoded (default: the called contract's). Fees, confirmations,
    replacements and the fee cap follow the current `TxPolicy` (`veche.chain.transactions`);
    `record` receives each signed version before it is broadcast (a journal).
    """
    errors_abi = abi if abi is not None else _contract_abi(call)
    sender = account.address
    policy = current_policy()
    try:
        params: TxParams = {"from": sender}
        if gas is None:
            gas = int(_estimate_gas(call, params, errors_abi) * GAS_ESTIMATE_MARGIN)
        params.update(  # placeholders: the sender signs with its own nonce and fees
            {"gas": gas, "nonce": Nonce(0), "chainId": 1, "maxFeePerGas": Wei(0),
             "maxPriorityFeePerGas": Wei(0)}
        )  # fmt: skip
        transaction = call.build_transaction(params)
        if simulate:
            simulate_call(w3, transaction, errors_abi)
        unsigned = cast(
            TxParams,
            {k: v for k, v in transaction.items() if k in ("to", "data", "gas", "value")},
        )
        receipt = send_transaction(w3, account, unsigned, policy=policy, record=record)
    except (requests.RequestException, Web3RPCError, OSError) as error:
        raise ChainError(f"sending from {sender} failed: {_one_line(error)}") from None
    if receipt["status"] != 1:
        tx_hash = HexBytes(receipt["transactionHash"])
        raise decode_revert(errors_abi, _revert_data_from_trace(w3, tx_hash), tx_hash=tx_hash)
    return receipt


def call_view(
    function: ContractFunction,
    *,
    abi: Sequence[dict[str, Any]] | None = None,
    block_identifier: BlockIdentifier = "latest",
) -> Any:
    """The result of a view call at `block_identifier`; raises `ContractRevert` if the contract
    refuses it (e.g. `UnknownDistrict`), and `ChainError` if the node cannot be reached."""
    try:
        return function.call(block_identifier=block_identifier)
    except ContractLogicError as error:
        raise decode_revert(abi or _contract_abi(function), _revert_data(error)) from None
    except (requests.RequestException, Web3RPCError, OSError) as error:
        raise ChainError(f"calling {function.fn_name} failed: {_one_line(error)}") from None


def simulate_call(w3: Web3, transaction: TxParams, abi: Sequence[dict[str, Any]]) -> None:
    """Runs `transaction` with `eth_call` on the pending state; raises `ContractRevert` if the
    contract refuses it."""
    simulation = {
        key: value
        for key, value in transaction.items()
        if key in ("from", "to", "data", "gas", "value")
    }
    try:
        w3.eth.call(cast(TxParams, simulation), "pending")
    except ContractLogicError as error:
        raise decode_revert(abi, _revert_data(error)) from None


def wait_for_receipt(w3: Web3, tx_hash: HexBytes, abi: Sequence[dict[str, Any]] = ()) -> TxReceipt:
    """Waits for `tx_hash`'s receipt; raises `ContractRevert` if the transaction reverted."""
    try:
        receipt = w3.eth.wait_for_transaction_receipt(
            tx_hash, timeout=RECEIPT_TIMEOUT_SECONDS, poll_latency=RECEIPT_POLL_SECONDS
        )
    except TimeExhausted:
        raise ChainError(
            f"transaction {tx_hash.to_0x_hex()} not mined in {RECEIPT_TIMEOUT_SECONDS} s"
        ) from None
    if receipt["status"] != 1:
        raise decode_revert(abi, _revert_data_from_trace(w3, tx_hash), tx_hash=tx_hash)
    return receipt


def decode_revert(
    abi: Sequence[dict[str, Any]], data: bytes | None, *, tx_hash: HexBytes | None = None
) -> ContractRevert:
    """Turns revert data into `ContractRevert(name, args)` using the custom errors in `abi`.

    Also knows `Error(string)` (args `reason`) and `Panic(uint256)` (args `code`); anything
    else becomes `UnknownRevert` with the raw `data` (and the `transaction`, if given).
    """
    data = data or b""
    selector, payload = data[:4], data[4:]
    try:
        if selector == _ERROR_STRING_SELECTOR:
            return ContractRevert("Error", {"reason": abi_decode(["string"], payload)[0]})
        if selector == _PANIC_SELECTOR:
            return ContractRevert("Panic", {"code": abi_decode(["uint256"], payload)[0]})
        for entry in abi:
            if (
                entry.get("type") == "error"
                and function_abi_to_4byte_selector(cast(ABIError, entry)) == selector
            ):
                inputs = entry.get("inputs", [])
                types = [_abi_type(item) for item in inputs]
                values = [
                    to_checksum_address(value) if kind == "address" else value
                    for kind, value in zip(types, abi_decode(types, payload), strict=True)
                ]
                names = [item["name"] or f"arg{i}" for i, item in enumerate(inputs)]
                return ContractRevert(entry["name"], dict(zip(names, values, strict=True)))
    except (DecodingError, ValueError, KeyError, TypeError):
        pass  # malformed revert data: reported below as UnknownRevert, with the raw bytes
    unknown: dict[str, Any] = {"data": to_hex(data)}
    if tx_hash is not None:
        unknown["transaction"] = tx_hash.to_0x_hex()
    return ContractRevert("UnknownRevert", unknown)


def _abi_type(item: dict[str, Any]) -> str:
    """The canonical type of an ABI parameter, expanding tuples (structs)."""
    kind: str = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_abi_type(component) for component in item["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def _estimate_gas(call: Call, params: TxParams, abi: Sequence[dict[str, Any]]) -> int:
    try:
        return int(call.estimate_gas(params))
    except ContractLogicError as error:
        raise decode_revert(abi, _revert_data(error)) from None


def _revert_data(error: ContractLogicError) -> bytes | None:
    data = error.data
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        return bytes.fromhex(data[2:])
    return None


def _revert_data_from_trace(w3: Web3, tx_hash: HexBytes) -> bytes | None:
    """The revert data of a mined, failed transaction, if the node can trace it (anvil can)."""
    try:
        answer = w3.provider.make_request(
            "debug_traceTransaction",  # type: ignore[arg-type]
            [tx_hash.to_0x_hex(), {"tracer": "callTracer"}],
        )
        output = answer["result"].get("output")
    except (requests.RequestException, Web3Exception, KeyError, AttributeError):
        return None
    return bytes.fromhex(output[2:]) if isinstance(output, str) and output else None


def _contract_abi(call: Call) -> Sequence[dict[str, Any]]:
    if isinstance(call, ContractFunction):
        return call.contract_abi  # type: ignore[return-value]
    return call.abi  # type: ignore[return-value]


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
