"""The one transaction sender on a chain that behaves like a real one: blocks every second
(`anvil --block-time 1`), the last blocks reorganised away, transactions dropped from the pool,
a base fee that jumps above what a transaction offers, and a fee cap the network exceeds."""

from collections.abc import Iterator

import pytest
from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.types import TxParams

from veche.chain.anvil import Anvil
from veche.chain.client import connect, dev_accounts
from veche.chain.transactions import GWEI, FeeAboveCap, TxPolicy, send_transaction

pytestmark = [pytest.mark.chain]


@pytest.fixture
def node() -> Iterator[Anvil]:
    """A chain of its own for each test: they move the base fee and stop mining."""
    with Anvil(extra_args=["--block-time", "1"]) as anvil:
        yield anvil


@pytest.fixture
def w3(node: Anvil) -> Web3:
    return connect(node.rpc_url)


def rpc(w3: Web3, method: str, *params: object) -> object:
    answer = w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
    assert "error" not in answer, answer
    return answer.get("result")


def payment(to: LocalAccount) -> TxParams:
    return {"to": to.address, "value": 1, "gas": 21_000}


class Watch:
    """Collects the sender's progress lines and runs `act` once, on the first line that
    contains `trigger`."""

    def __init__(self, trigger: str, act: object) -> None:
        self.lines: list[str] = []
        self.trigger, self.act, self.done = trigger, act, False

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        if not self.done and self.trigger in line:
            self.done = True
            self.act(line)  # type: ignore[operator]


def test_a_receipt_counts_only_once_deep_enough_and_a_reorganised_one_is_sent_again(
    w3: Web3,
) -> None:
    sender, receiver = dev_accounts(3)[1:3]
    start = w3.eth.get_transaction_count(sender.address)
    reorganised: list[int] = []

    def reorganise(line: str) -> None:  # the transaction is 1 block deep: take that block away
        reorganised.append(w3.eth.block_number)
        rpc(w3, "anvil_reorg", 1, [])

    watch = Watch("1 of 3 confirmations", reorganise)
    policy = TxPolicy(confirmations=3, replace_after=1.5, poll=0.05, notify=watch, timeout=60)
    receipt = send_transaction(w3, sender, payment(receiver), policy=policy)

    assert reorganised, watch.lines
    assert any("dropped: sending the same bytes again" in line for line in watch.lines)
    assert w3.eth.block_number - receipt["blockNumber"] + 1 >= 3
    canonical = w3.eth.get_block(receipt["blockNumber"])
    assert HexBytes(canonical["hash"]) == HexBytes(receipt["blockHash"])
    assert receipt["status"] == 1
    assert w3.eth.get_transaction_count(sender.address) == start + 1


def test_a_dropped_transaction_is_broadcast_again_with_the_same_bytes(w3: Web3) -> None:
    sender, receiver = dev_accounts(4)[2:4]
    start = w3.eth.get_transaction_count(sender.address)
    dropped: list[str] = []

    def drop(line: str) -> None:  # still in the pool, not mined yet: the node forgets it
        tx_hash = line.split()[0]
        rpc(w3, "anvil_dropTransaction", tx_hash)
        dropped.append(tx_hash)

    rpc(w3, "evm_setIntervalMining", 0)  # nothing is mined until the transaction is dropped
    try:
        watch = Watch("waiting", drop)

        def mine_after_drop(line: str) -> None:
            watch(line)
            if "dropped" in line:
                rpc(w3, "evm_setIntervalMining", 1)

        policy = TxPolicy(replace_after=1.0, poll=0.05, notify=mine_after_drop, timeout=60)
        receipt = send_transaction(w3, sender, payment(receiver), policy=policy)
    finally:
        rpc(w3, "evm_setIntervalMining", 1)

    assert dropped, watch.lines
    assert receipt["transactionHash"].to_0x_hex() == dropped[0]
    assert w3.eth.get_transaction_count(sender.address) == start + 1


def test_a_transaction_below_a_jumped_base_fee_is_replaced_with_higher_fees(w3: Web3) -> None:
    sender, receiver = dev_accounts(6)[4:6]
    start = w3.eth.get_transaction_count(sender.address)

    def fees_jump(line: str) -> None:  # accepted at ~1 gwei; the next blocks ask 200 gwei
        rpc(w3, "anvil_setNextBlockBaseFeePerGas", hex(200 * GWEI))
        rpc(w3, "evm_setIntervalMining", 1)

    rpc(w3, "evm_setIntervalMining", 0)
    try:
        watch = Watch("waiting", fees_jump)
        policy = TxPolicy(replace_after=2.5, poll=0.05, notify=watch, timeout=60)
        receipt = send_transaction(w3, sender, payment(receiver), policy=policy)
    finally:
        rpc(w3, "evm_setIntervalMining", 1)

    replacements = [line for line in watch.lines if line.startswith("replacing nonce")]
    assert replacements, watch.lines
    assert receipt["transactionHash"].to_0x_hex() in replacements[-1]
    assert int(receipt["effectiveGasPrice"]) > 10 * GWEI
    assert w3.eth.get_transaction_count(sender.address) == start + 1


def test_nothing_is_sent_while_the_network_asks_more_than_the_cap(w3: Web3) -> None:
    sender, receiver = dev_accounts(8)[6:8]
    start = w3.eth.get_transaction_count(sender.address, "pending")
    base = int(w3.eth.get_block("latest")["baseFeePerGas"])
    cap = base // 2
    policy = TxPolicy(max_fee_per_gas=cap, priority_fee_per_gas=1, poll=0.05)
    with pytest.raises(FeeAboveCap, match=r"above your cap of .* nothing was sent"):
        send_transaction(w3, sender, payment(receiver), policy=policy)
    assert w3.eth.get_transaction_count(sender.address, "pending") == start

    generous = TxPolicy(max_fee_per_gas=4 * base + GWEI, priority_fee_per_gas=GWEI, poll=0.05)
    receipt = send_transaction(w3, sender, payment(receiver), policy=generous)
    transaction = w3.eth.get_transaction(receipt["transactionHash"])
    assert transaction["maxFeePerGas"] <= 4 * base + GWEI
    assert transaction["type"] == 2


def test_a_replacement_never_offers_more_than_the_cap_and_then_waits(w3: Web3) -> None:
    sender, receiver = dev_accounts(10)[8:10]
    start = w3.eth.get_transaction_count(sender.address)
    cap = 50 * GWEI

    def fees_jump(line: str) -> None:  # the next blocks ask 200 gwei, four times the cap
        rpc(w3, "anvil_setNextBlockBaseFeePerGas", hex(200 * GWEI))
        rpc(w3, "evm_setIntervalMining", 1)

    rpc(w3, "evm_setIntervalMining", 0)
    try:
        watch = Watch("waiting", fees_jump)
        policy = TxPolicy(
            max_fee_per_gas=cap, replace_after=1.5, poll=0.05, notify=watch, timeout=90
        )
        receipt = send_transaction(w3, sender, payment(receiver), policy=policy)
    finally:
        rpc(w3, "evm_setIntervalMining", 1)

    mined = w3.eth.get_transaction(receipt["transactionHash"])
    assert mined["maxFeePerGas"] == cap  # replaced once, at the cap and not a wei above
    assert int(receipt["effectiveGasPrice"]) <= cap
    assert any("waits for fees to fall" in line for line in watch.lines), watch.lines
    assert w3.eth.get_transaction_count(sender.address) == start + 1
