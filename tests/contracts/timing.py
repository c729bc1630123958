"""Sending a transaction in a block with an exact timestamp, for phase boundary tests."""

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.types import TxReceipt

from veche.chain.anvil import set_next_timestamp
from veche.chain.client import send
from veche.protocol.spec import CAST_BALLOT_GAS


def send_at(
    w3: Web3,
    account: LocalAccount,
    call: ContractFunction,
    timestamp: int,
    gas: int = CAST_BALLOT_GAS,
) -> TxReceipt:
    """Mines `call` in a block whose timestamp is exactly `timestamp`.

    No simulation and explicit gas: a simulation would run at the previous block's time, and an
    estimate at that time could revert for the wrong reason.
    """
    set_next_timestamp(w3, timestamp)
    return send(w3, account, call, gas=gas, simulate=False)
