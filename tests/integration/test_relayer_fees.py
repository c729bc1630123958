"""A transaction the chain's fees have overtaken is signed again, same nonce, higher fees."""

import time

import httpx
import pytest
from web3.exceptions import TransactionNotFound

from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion

from .conftest import make_relayer

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def _submission(client, relayer, world, nullifier) -> dict:
    return client.get(
        f"{relayer.url}/ballots/{nullifier}", params={"election": world.election.address}
    ).json()["submission"]


def _until(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_stuck_transaction_is_replaced_with_higher_fees_and_the_same_nonce(
    world, prover, tmp_path
) -> None:
    """The base fee jumps above the fee cap of the relayer's transaction, which then cannot be
    mined: after VECHE_REPLACE_SECONDS the relayer signs it again with fees above the chain's
    (EIP-1559 replacement, same nonce), and the ballot is counted once, by the replacement."""
    w3 = world.w3
    (body,) = prepare_ballots(world.election, [(world.voters["north"][0], 1)], prover)
    nullifier = body["publicSignals"][1]
    relayer = make_relayer(world, tmp_path, VECHE_REPLACE_SECONDS="1")
    w3.provider.make_request("evm_setAutomine", [False])
    relayer.start()
    try:
        with httpx.Client() as client:
            accepted = send_ballot(client, relayer.url, body)
            first_hash = _until(
                lambda: _submission(client, relayer, world, nullifier)["transactionHash"],
                "the ballot was never sent",
            )
            first = w3.eth.get_transaction(first_hash)
            w3.provider.make_request(
                "anvil_setNextBlockBaseFeePerGas", [hex(4 * first["maxFeePerGas"])]
            )
            w3.provider.make_request("evm_mine", [])
            with pytest.raises(TransactionNotFound):
                w3.eth.get_transaction_receipt(first_hash)  # too cheap for that block
            second_hash = _until(
                lambda: (
                    (h := _submission(client, relayer, world, nullifier)["transactionHash"])
                    != first_hash
                    and h
                ),
                "the stuck transaction was never replaced",
            )
            w3.provider.make_request("evm_mine", [])
            included = wait_for_inclusion(client, relayer.url, accepted, timeout=60)
    finally:
        w3.provider.make_request("evm_setAutomine", [True])
        relayer.stop()
    second = w3.eth.get_transaction(second_hash)
    assert second["nonce"] == first["nonce"] and second["from"] == first["from"]
    assert second["maxFeePerGas"] > 4 * first["maxFeePerGas"]
    assert second["maxPriorityFeePerGas"] > first["maxPriorityFeePerGas"]
    assert included["transactionHash"] == second_hash
    with pytest.raises(TransactionNotFound):
        w3.eth.get_transaction_receipt(first_hash)
    events = [e for e in world.election.ballot_events() if e.nullifier == int(nullifier)]
    assert len(events) == 1
